package io.andock.daemon.backend;

import io.andock.container.ContainerSpec;
import io.andock.container.ContainerView;
import io.andock.task.ExecSpec;
import io.andock.container.ListOptions;
import io.andock.task.LogOptions;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the container, exec and volume endpoints need. The daemon-side parts the CLI does not have live here:
 * attach sessions registered before {@code start}, exit codes kept past {@code --rm}, exec instances, events,
 * restart policies. All methods are thread-safe; containers are named by id, name or unique id prefix.
 */
public interface ContainerBackend {

    /** Stdio of an attach or exec: {@code stdin} null when not attached; {@code stderr} may equal {@code stdout}. */
    record Stdio(InputStream stdin, OutputStream stdout, OutputStream stderr) {}

    /** A finished wait: the exit code and, when the container could not run, why. */
    record WaitResult(int statusCode, String error) {}

    /** An exec instance as {@code GET /exec/{id}/json} shows it. */
    record ExecInfo(String id, String containerId, ExecSpec spec, boolean attachStdout, boolean attachStderr,
                    boolean running, Integer exitCode) {}

    String create(ContainerSpec spec);

    /** Resolves a reference to the full id (NOT_FOUND otherwise). */
    String resolve(String ref);

    /**
     * Starts the container. With an attach session waiting, it runs attached to it (its output goes there and to
     * the log); otherwise detached under its monitor. Returns once it runs (or has already exited); a start
     * failure is thrown (and a {@code --rm} container removed). False when it was running already (dockerd's 304).
     */
    boolean start(String ref);

    /** A registered attachment; {@link #await} blocks until it ends. */
    interface Attachment {
        /**
         * Until the container exits or is removed; before its start, also until {@code gone} says the client left;
         * and, whenever it comes, until {@code detached}: the client typed the detach keys (the process goes on).
         */
        void await(BooleanSupplier gone, BooleanSupplier detached);
    }

    /**
     * Attaches {@code io} to the container, at once (so a {@code start} that follows finds it): a container not
     * yet running is attached when started (stdin buffered until then); a running one gets its new output, and
     * its stdin when it was created with one ({@code -i}). {@code logs}: the log so far is written first;
     * {@code stream} false: nothing more (the attachment ends after the log).
     */
    Attachment attach(String ref, Stdio io, boolean logs, boolean stream);

    /** {@link #attach(String, Stdio, boolean, boolean)} of what comes from now on. */
    default Attachment attach(String ref, Stdio io) {
        return attach(ref, io, false, true);
    }

    /** The size of the container's terminal (nothing when it has none). */
    void resize(String ref, int rows, int cols);

    /** The size of an exec's terminal. */
    void execResize(String execId, int rows, int cols);

    /** Blocks until {@code condition} is met (core's one wait, {@link io.andock.task.ExitWaiter}); null once {@code gone}. */
    WaitResult await(String ref, io.andock.task.ExitWaiter.Condition condition, BooleanSupplier gone);

    /** False when it was not running (dockerd's 304). {@code signal} null: the container's stop signal. */
    boolean stop(String ref, Integer timeoutSeconds, String signal);

    void kill(String ref, String signal);

    /** {@code pause} ({@code frozen}) or {@code unpause}: 409 when not running (or not paused), 501 where the driver cannot. */
    void pause(String ref, boolean frozen);

    void restart(String ref, Integer timeoutSeconds);

    void remove(String ref, boolean force, boolean volumes);

    /** Removes the legacy link {@code /PARENT/ALIAS} ({@code docker rm --link}). */
    void removeLink(String link);

    List<String> prune();

    ContainerView get(String ref);

    List<ContainerView> list(ListOptions options);

    Map<String, Object> inspect(String ref);

    /** The container's stdout to {@code out}, its stderr to {@code err} (a TTY's one stream: to {@code out}). */
    void logs(String ref, LogOptions options, OutputStream out, OutputStream err, BooleanSupplier cancelled);

    default void logs(String ref, LogOptions options, OutputStream out, OutputStream err) {
        logs(ref, options, out, err, () -> false);
    }

    /** {@code docker cp}'s stat of a container path (a final symlink not followed); see {@link io.andock.engine.Engine#statPath}. */
    io.andock.engine.PathStat statPath(String ref, String path);

    /** A tar of a container path, never leaving the container; see {@link io.andock.engine.Engine#copyOut}. */
    void copyOut(String ref, String path, OutputStream out);

    /** Extracts a client's tar into a container directory; see {@link io.andock.engine.Engine#copyIn}. */
    void copyIn(String ref, String path, InputStream tar, boolean copyUIDGID);

    String execCreate(String ref, ExecSpec spec, boolean attachStdout, boolean attachStderr);

    ExecInfo exec(String execId);

    /** Runs the exec attached to {@code io}; the exit code is recorded before this returns. */
    int execStart(String execId, Stdio io);

    /** Runs the exec with its output discarded, in the background. */
    void execStartDetached(String execId);

    io.andock.engine.Volumes volumes();

    Events events();

    int restartCount(String id);

    /** Keeps the HostConfig a client sent at create ({@code id}'s), for inspect to echo; bounded by the body's limit. */
    default void keepApiHostConfig(String id, Map<String, Object> hostConfig) {
    }

    /** The HostConfig the client sent at create, or an empty map (created by the CLI, or by an older daemon). */
    default Map<String, Object> apiHostConfig(String id) {
        return Map.of();
    }
}
