package io.andock.engine;

import io.andock.AndockException;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import io.andock.snapshot.ApplyOptions;
import io.andock.task.Attach;
import io.andock.task.ContainerService;
import io.andock.task.ExecSpec;
import io.andock.task.ExitWaiter;
import io.andock.task.LogOptions;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The containers façade both front ends call: Docker's container commands, {@code cp}, and volumes. Containers are
 * named by id, id prefix or name everywhere; answers are values ({@link ContainerView}, exit codes, ids). The
 * rules (what may be removed, exec'd, copied into) are the task room's; this class only joins them for the front
 * ends, so neither knows where a container's files are.
 */
public final class Containers {
    private final ContainerService service;
    private final ContainerStore store;
    private final ApplyOptions copyOptions;
    private final Volumes volumes;

    Containers(ContainerService service, ApplyOptions copyOptions) {
        this.service = service;
        this.store = new ContainerStore(service.root());
        this.copyOptions = copyOptions;
        this.volumes = new Volumes(service.volumes());
    }

    public Volumes volumes() {
        return volumes;
    }

    /** A fresh random 64-hex id, for what the API names like a container (exec instances). */
    public static String newId() {
        return ContainerStore.newId();
    }

    /** The full id of the container {@code ref} (id, unique id prefix or name); NOT_FOUND otherwise. */
    public String resolve(String ref) {
        return store.resolve(ref);
    }

    /** Whether {@code ref} names a container that exists now. */
    public boolean exists(String ref) {
        try {
            store.record(store.resolve(ref));
            return true;
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) return false;
            throw e;
        }
    }

    /** Its state read now (the monitor's files); NOT_FOUND once it is gone. */
    public ContainerState state(String ref) {
        return store.state(store.resolve(ref));
    }

    // ------------------------------------------------------------------ lifecycle

    /** {@code create}: returns the new container's id. */
    public String create(ContainerSpec spec) {
        return service.create(spec);
    }

    /** {@code run} in the foreground: create, start attached, wait; returns the container's exit code. */
    public int run(ContainerSpec spec, Attach attach) {
        return service.run(spec, attach);
    }

    /** {@code run -d}: create and start detached; returns the id. */
    public String runDetached(ContainerSpec spec) {
        return service.runDetached(spec);
    }

    /** {@code start}: runs the container detached under its monitor; a running container is left alone. */
    public void start(String ref) {
        service.start(ref);
    }

    /** {@code start -a [-i]} (and foreground {@code run}): runs attached; returns the exit code. */
    public int startAttached(String ref, Attach attach) {
        return service.startAttached(ref, attach);
    }

    /** {@code stop -t N}: the stop signal, then SIGKILL after {@code timeoutSeconds} (null: the container's, or 10). */
    public void stop(String ref, Integer timeoutSeconds) {
        service.stop(ref, timeoutSeconds, null);
    }

    /** {@code stop -s SIG -t N} ({@code signal} null: the container's stop signal). */
    public void stop(String ref, Integer timeoutSeconds, String signal) {
        service.stop(ref, timeoutSeconds, signal);
    }

    public void restart(String ref, Integer timeoutSeconds) {
        service.restart(ref, timeoutSeconds);
    }

    /** {@code kill -s SIG}: to the container's main process; returns once a SIGKILLed container is dead. */
    public void kill(String ref, String signal) {
        service.kill(ref, signal);
    }

    /** {@code pause}: freezes every process of a running container (the driver's way; proot cannot). */
    public void pause(String ref) {
        service.pause(ref);
    }

    public void unpause(String ref) {
        service.unpause(ref);
    }

    /** {@code wait}: blocks until the container is not running; its exit code (a --rm container's from its tombstone). */
    public int waitFor(String ref) {
        return service.waitFor(ref);
    }

    /**
     * The API's wait: until {@code condition} holds for container {@code ref}; null once {@code cancelled} (the
     * client went away). {@code known}: exit codes of runs the caller attached to. See {@link ExitWaiter}.
     */
    public ExitWaiter.Exit waitFor(String ref, ExitWaiter.Condition condition, BooleanSupplier cancelled, ExitWaiter.KnownExits known) {
        return service.waitFor(store.resolve(ref), condition, cancelled, known);
    }

    /** {@code rm [-f] [-v]}: refuses a running container without force; {@code volumes} also removes anonymous ones. */
    public void remove(String ref, boolean force, boolean removeVolumes) {
        service.remove(ref, force, removeVolumes);
    }

    /** {@code container prune}: removes every container that is not running; returns their ids. */
    public List<String> prune() {
        return service.prune();
    }

    /** {@code rename}: Docker's rules (a running container too; a taken name is a conflict); returns the id. */
    public String rename(String ref, String newName) {
        return service.editor().rename(ref, newName);
    }

    /** {@code rm --link /PARENT/ALIAS}: removes a legacy link from the container that made it. */
    public void removeLink(String link) {
        service.editor().removeLink(link);
    }

    /** {@code update}: resources and restart policy; returns Docker's warnings. See {@link io.andock.task.ContainerEditor}. */
    public List<String> update(String ref, io.andock.task.ContainerEditor.Update update) {
        return service.editor().update(ref, update);
    }

    /** {@code top}: the container's processes through the host's ps ({@code psArgs} as docker top's). */
    public io.andock.task.ContainerTop.Table top(String ref, String psArgs) {
        return service.top().top(ref, psArgs);
    }

    /**
     * Keeps a front end's own JSON beside the container ({@code name}: a plain file name such as {@code
     * api-hostconfig.json}), for it to read back; gone with the container.
     */
    public void keepClientFile(String ref, String name, Map<String, Object> json) {
        if (!name.matches("[a-z][a-z0-9-]{0,40}\\.json")) throw new IllegalArgumentException("client file name " + name);
        try {
            ContainerStore.write(store.dir(store.resolve(ref)).path().resolve(name), json);
        } catch (java.io.IOException e) {
            throw AndockException.wrap("keep " + name + " of " + ref, e);
        }
    }

    /** What {@link #keepClientFile} kept; empty when nothing was. */
    public Map<String, Object> clientFile(String ref, String name) {
        if (!name.matches("[a-z][a-z0-9-]{0,40}\\.json")) throw new IllegalArgumentException("client file name " + name);
        try {
            return io.andock.json.JsonObject.parse(java.nio.file.Files.readAllBytes(store.dir(store.resolve(ref)).path().resolve(name))).map();
        } catch (java.io.IOException | AndockException e) {
            return Map.of();
        }
    }

    // ------------------------------------------------------------------ processes and streams

    /**
     * Checks that {@code exec} may run in {@code ref} now (running, not paused), as Docker does at exec create;
     * returns the container's full id. CONFLICT otherwise.
     */
    public String checkExecutable(String ref) {
        String id = store.resolve(ref);
        ContainerState state = store.state(id);
        if (!state.running()) throw AndockException.conflict("container " + id + " is not running");
        if (state.status().equals("paused")) throw AndockException.conflict("container " + id + " is paused, unpause the container before exec");
        return id;
    }

    /** {@code exec}: runs one more process in a running container; its exit code. */
    public int exec(String ref, ExecSpec exec, Attach attach) {
        return service.exec(ref, exec, attach);
    }

    /** {@code resize}: the size of a container's pty; nothing when it has none. */
    public void resize(String ref, int rows, int cols) {
        service.resize(ref, rows, cols);
    }

    /** The stdin of a detached {@code -i} container (closing it never gives the container EOF); empty without one. */
    public Optional<OutputStream> openStdin(String ref) {
        return service.openStdin(ref);
    }

    /** {@code logs}: stdout to {@code out}, stderr to {@code err} (both to {@code out} for a TTY). */
    public void logs(String ref, LogOptions options, OutputStream out, OutputStream err) {
        service.logs(ref, options, out, err);
    }

    /** {@link #logs(String, LogOptions, OutputStream, OutputStream)} whose following ends once {@code cancelled} (the client left). */
    public void logs(String ref, LogOptions options, OutputStream out, OutputStream err, BooleanSupplier cancelled) {
        service.logs(ref, options, out, err, cancelled);
    }

    // ------------------------------------------------------------------ views

    public ContainerView get(String ref) {
        return service.get(ref);
    }

    /** {@code ps}: newest first. */
    public List<ContainerView> list(ListOptions options) {
        return service.list(options);
    }

    /** {@code inspect}: close to {@code docker container inspect}'s JSON. */
    public Map<String, Object> inspect(String ref) {
        return service.inspect(ref);
    }

    // ------------------------------------------------------------------ docker cp

    /**
     * {@code docker cp}'s stat of {@code path} in container {@code ref} (a final symlink not followed); NOT_FOUND
     * "Could not find the file …" when it does not exist. See {@link ContainerArchive} for how paths resolve.
     */
    public PathStat statPath(String ref, String path) {
        return archive().stat(ref, path);
    }

    /**
     * Writes a tar of {@code path} in container {@code ref} to {@code out}, its top entry named {@code as} (null: the
     * path's last component); {@code followLink} follows a final symlink within the container ({@code cp -L}).
     */
    public PathStat copyOut(String ref, String path, boolean followLink, String as, OutputStream out) {
        return archive().copyOut(ref, path, followLink, as, out);
    }

    /**
     * Extracts the tar {@code tar} into the directory {@code path} of container {@code ref}, with the layer
     * applier's rules (nothing lands outside the container); owners become 0:0 unless {@code keepOwners}.
     * INVALID_ARGUMENT for a bad archive or a path that is not a directory; NOT_FOUND for a missing path.
     */
    public void copyIn(String ref, String path, InputStream tar, boolean keepOwners) {
        archive().copyIn(ref, path, tar, keepOwners);
    }

    private ContainerArchive archive() {
        return new ContainerArchive(service, copyOptions);
    }

    /** Holds the container still while its files are read (commit, cp); close it to resume. */
    io.andock.task.FrozenContainer freeze(String ref) {
        return service.freeze(ref);
    }

    /** The service behind this façade, for the engine's own wiring and tests in this package. */
    ContainerService service() {
        return service;
    }
}
