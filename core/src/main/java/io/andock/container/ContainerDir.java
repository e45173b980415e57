package io.andock.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The layout of one container's directory, {@code <root>/containers/<id>/}: the only place that knows its file
 * names. Everything else asks this type for a path.
 *
 * <pre>
 * config.json   the {@link ContainerRecord}, written once at create
 * state.json    the {@link ContainerState}, replaced atomically
 * image.json    the {@link ImageUse} garbage collection reads (the image and snapshot this container holds)
 * owner, name   who is creating a {@code .new-} directory, and under which name (only while it is made)
 * rootfs/       the writable root filesystem ({@code upper/} and {@code work/} beside it when an overlay)
 * bundle/       the OCI bundle the driver runs: {@code bundle/config.json}, the generated runtime spec
 * hostname, hosts, resolv.conf   the /etc files bound over the image's ({@link EtcFiles})
 * pid, exit     written by the monitor ({@code andock-monitor.sh}, whose header names them too): the main
 *               process's pid, then "CODE EPOCH_SECONDS" once it exited
 * stdin         the fifo feeding the container's stdin ({@code -i}), made by the monitor
 * tty           the pty's device path, when the container runs under a pty
 * container.log the log, records of both streams
 * execs/PID     one file per running exec; exec-TOKEN.tty the pty of an attached exec
 * net/          the network's state (bridge address, ports), owned by {@code net}
 * api-hostconfig.json  the API client's create HostConfig, kept by the daemon to echo it in inspect
 * </pre>
 */
public record ContainerDir(Path path) {
    private static final String BUNDLE_SPEC = "config.json";

    public ContainerDir {
        Objects.requireNonNull(path, "path");
    }

    public Path config() { return path.resolve("config.json"); }

    public Path state() { return path.resolve("state.json"); }

    public Path imageUse() { return path.resolve("image.json"); }

    public Path owner() { return path.resolve("owner"); }

    /** The name a {@code .new-} directory is being created under, so that two creates of one name collide. */
    public Path pendingName() { return path.resolve("name"); }

    public Path rootfs() { return path.resolve("rootfs"); }

    public Path overlayUpper() { return path.resolve("upper"); }

    public Path overlayWork() { return path.resolve("work"); }

    public Path bundle() { return path.resolve("bundle"); }

    /** The OCI runtime spec of the bundle. */
    public Path bundleSpec() { return bundleSpec(bundle()); }

    /** {@code config.json} of any OCI bundle (the drivers get the bundle directory, not the container's). */
    public static Path bundleSpec(Path bundle) { return bundle.resolve(BUNDLE_SPEC); }

    public Path hostname() { return path.resolve("hostname"); }

    public Path hosts() { return path.resolve("hosts"); }

    public Path resolvConf() { return path.resolve("resolv.conf"); }

    /** The /etc files bound over the image's, as {@code docker cp} shows them: hostname, hosts, resolv.conf. */
    public List<Path> etcFiles() { return List.of(hostname(), hosts(), resolvConf()); }

    /** The main process's pid, written by the monitor just before the command is exec'd. */
    public Path pid() { return path.resolve("pid"); }

    /** "CODE EPOCH_SECONDS", written by the monitor once the main process exited. */
    public Path exit() { return path.resolve("exit"); }

    public Path stdinFifo() { return path.resolve("stdin"); }

    public Path tty() { return path.resolve("tty"); }

    public Path log() { return path.resolve("container.log"); }

    public Path execs() { return path.resolve("execs"); }

    /** The pty path file of one attached exec, {@code token} telling concurrent execs apart. */
    public Path execTty(String token) { return path.resolve("exec-" + token + ".tty"); }

    public Path exec(long pid) { return execs().resolve(Long.toString(pid)); }

    /** The health check's files ({@code andock-health.sh}): config, probe, state and the newest results. */
    public Path health() { return path.resolve("health"); }

    public Path net() { return path.resolve("net"); }

    @Override
    public String toString() {
        return path.toString();
    }
}
