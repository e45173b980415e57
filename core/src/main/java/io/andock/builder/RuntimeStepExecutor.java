package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.Dockerfile;
import io.andock.image.Platform;
import io.andock.json.Json;
import io.andock.os.FileTrees;
import io.andock.container.ContainerSpec;
import io.andock.driver.Driver;
import io.andock.container.EtcFiles;
import io.andock.container.OciMount;
import io.andock.container.OciSpecs;
import io.andock.container.ProcessResolver;
import io.andock.container.ProcessSpec;
import io.andock.container.RootPaths;
import io.andock.container.UserSpec;
import io.andock.driver.oci.OciDriver;
import io.andock.container.ContainerDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link StepExecutor} over the container runtime. A RUN step becomes an OCI bundle whose {@code root.path} is
 * the stage's working rootfs itself (no copy per step), with the host network (as {@code docker build} does by
 * default), the step's env, user and workdir, no TTY and stdin from {@code /dev/null}; the driver the engine chose
 * runs it in the foreground and its stdout and stderr go to the build output. Mount points the runtime had to create
 * in the rootfs ({@code /etc/hosts}, {@code /proc}, … when the image lacks them) are removed again afterwards, so
 * they never end up in the layer. COPY and ADD are {@link CopyStep}.
 */
public final class RuntimeStepExecutor implements StepExecutor {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final java.util.function.Supplier<Driver> drivers;
    private Driver driver;
    private final Platform platform;
    private final Path scratch;
    private final OutputStream output;
    private final OutputStream errors;
    private String lastContainer;

    /**
     * @param driver   the driver that runs RUN steps, asked for at the first one
     * @param platform the stage's platform (the driver emulates another CPU where it can)
     * @param scratch  a directory for bundles and downloads, owned by this build
     * @param output   where RUN stdout goes (shared with the progress lines; writes are synchronized on it)
     * @param errors   where RUN stderr goes ({@code output} itself to mix them; writes are synchronized on it)
     */
    public RuntimeStepExecutor(java.util.function.Supplier<Driver> driver, Platform platform, Path scratch,
                               OutputStream output, OutputStream errors) {
        this.drivers = driver;
        this.platform = platform;
        this.scratch = scratch;
        this.output = output;
        this.errors = errors;
    }

    private java.util.function.BooleanSupplier cancelled = () -> false;
    private List<String> extraHosts = List.of();

    /** {@code --add-host} entries ({@link BuildOptions#extraHosts}) for every RUN's {@code /etc/hosts}. */
    public RuntimeStepExecutor withExtraHosts(List<String> hosts) {
        this.extraHosts = List.copyOf(hosts);
        return this;
    }

    /** Makes a running step end (its container killed) once {@code cancelled} says so. */
    public RuntimeStepExecutor cancelledWhen(java.util.function.BooleanSupplier cancelled) {
        this.cancelled = cancelled;
        return this;
    }

    static AndockException cancelledError() {
        return new AndockException(AndockException.Kind.UNAVAILABLE, "build cancelled: the client went away");
    }

    /** A fresh container ID (64 hex digits), announced before the step runs ({@code Running in …}). */
    public String newContainerId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        lastContainer = HexFormat.of().formatHex(b);
        return lastContainer;
    }

    @Override
    public void run(Step step, Step.Run run, Path rootfs) {
        String id = lastContainer != null ? lastContainer : newContainerId();
        lastContainer = null;
        String hostname = id.substring(0, 12);
        if (driver == null) driver = drivers.get();
        Path bundle = scratch.resolve("run-" + hostname);
        int code;
        List<Path> stubs;
        try {
            Files.createDirectories(bundle);
            UserSpec user = UserSpec.resolve(rootfs, run.user());
            RootPaths.mkdirs(rootfs, run.workdir());
            List<String> env = ProcessResolver.env(run.env(), List.of(), hostname, user.home(), false);
            ProcessSpec process = new ProcessSpec(run.argv(), env, run.workdir(), user.uid(), user.gid(),
                    user.additionalGids(), false);
            Map<String, Path> etc = EtcFiles.write(new ContainerDir(bundle), hostname, true);
            if (!extraHosts.isEmpty() && etc.get("/etc/hosts") != null) {
                StringBuilder lines = new StringBuilder();
                for (String h : extraHosts) lines.append(BuildOptions.hostsLine(h)).append('\n');
                Files.writeString(etc.get("/etc/hosts"), lines, java.nio.file.StandardOpenOption.APPEND);
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(OciSpecs.PLATFORM_ANNOTATION, platform.toString());
            annotations.put(OciDriver.CONTAINER_ID_ANNOTATION, id);
            Map<String, Object> spec = OciSpecs.generate(new OciSpecs.Input(process, rootfs, false, hostname, List.of(),
                    etc, "host", annotations));
            spec = driver.adaptSpec(spec, ContainerSpec.builder("build").networkMode("host").build());
            Files.write(bundle.resolve("config.json"), Json.writeBytes(spec));
            stubs = missingMountPoints(rootfs, etc.keySet());
            code = runInForeground(driver.runCommand(bundle, id), bundle, id);
        } catch (IOException e) {
            throw AndockException.wrap("Dockerfile:" + step.line() + ": RUN", e);
        } catch (AndockException e) {
            throw e.withContext("Dockerfile:" + step.line() + ": RUN");
        } finally {
            try {
                driver.delete(bundle, id);
            } catch (AndockException ignored) {
                // nothing left to release
            }
        }
        for (Path p : stubs) removeStub(p);
        try {
            FileTrees.deleteTree(bundle);
        } catch (IOException ignored) {
            // scratch is removed with the build
        }
        if (code != 0) {
            throw new AndockException(AndockException.Kind.INVALID_ARGUMENT, "Dockerfile:" + step.line() + ": RUN "
                    + commandText(run.argv()) + ": exit code " + code + " (The command '" + String.join(" ", run.argv())
                    + "' returned a non-zero code: " + code + ")");
        }
    }

    /** The command as written: the shell form's string, or the exec form's words. */
    static String commandText(List<String> argv) {
        if (argv.size() == 3 && argv.get(1).equals("-c")) return argv.get(2);
        return String.join(" ", argv);
    }

    /** Runs the step; recorded in the bundle so that a build killed meanwhile has its RUN killed at the next start. */
    private int runInForeground(List<String> argv, Path bundle, String id) throws IOException {
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            BuildScratch.recordRun(bundle, driver.name(), id, p.pid());
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        Thread err = pump(p.getErrorStream(), errors);
        Thread out = pump(p.getInputStream(), output);
        try {
            while (!p.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!cancelled.getAsBoolean()) continue;
                BuildScratch.killRun(bundle, n -> driver);
                p.destroyForcibly();
                throw cancelledError();
            }
            int code = p.exitValue();
            out.join();
            err.join();
            return code;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted");
        }
    }

    private static Thread pump(InputStream in, OutputStream output) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (output) {
                        output.write(buf, 0, n);
                        output.flush();
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "andock-build-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The topmost missing component of every mount destination: what a runtime creates and must not stay. */
    private static List<Path> missingMountPoints(Path rootfs, Iterable<String> etcFiles) {
        List<String> dests = new ArrayList<>();
        for (OciMount m : OciSpecs.defaultMounts()) dests.add(m.destination());
        etcFiles.forEach(dests::add);
        List<Path> out = new ArrayList<>();
        for (String d : dests) {
            StringBuilder sofar = new StringBuilder();
            for (String c : d.substring(1).split("/")) {
                sofar.append('/').append(c);
                Path p = RootPaths.resolve(rootfs, sofar.toString());
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!out.contains(p)) out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    /** Removes an empty file, or a directory holding only such stubs; anything with content stays. */
    private static boolean removeStub(Path p) {
        try {
            if (Files.isSymbolicLink(p)) return false;
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.size(p) != 0) return false;
                Files.delete(p);
                return true;
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return false;
            boolean empty = true;
            try (var ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) empty &= removeStub(c);
            }
            if (empty) Files.delete(p);
            return empty;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void copy(Step step, Step.Copy copy, BuildContext context, Path fromRootfs, Path rootfs) {
        try {
            new CopyStep(copy, rootfs, scratch).run(context, fromRootfs);
        } catch (IOException e) {
            throw AndockException.wrap("Dockerfile:" + step.line() + ": " + step.keyword(), e);
        } catch (AndockException e) {
            if (e.getMessage().startsWith("Dockerfile:")) throw e;
            throw e.withContext("Dockerfile:" + step.line() + ": " + step.keyword());
        }
    }
}
