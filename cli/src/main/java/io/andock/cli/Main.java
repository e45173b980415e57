package io.andock.cli;

import io.andock.AndockException;
import io.andock.Trace;
import io.andock.container.ExecFailure;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The andock command line. Errors leave as one line on stderr and Docker's exit codes: 125 when andock itself
 * failed (bad flags, no such image, registry down); 126 and 127 when the command is not executable or not found;
 * the container's own code otherwise.
 */
public final class Main {
    static final int ENGINE_ERROR = 125;

    private Main() {
    }

    /** ANDOCK_TRACE_STARTUP=1 (or -Dandock.trace): where a command's time goes, on stderr (see {@link Trace}). */
    private static void trace(String what) {
        Trace.phase(what);
    }

    public static void main(String[] args) {
        trace("main");
        preferVfork();
        String train = System.getProperty("andock.cds.train");
        if (train != null) {
            trainForCds(Path.of(train));
            System.exit(0); // a container run still hung in its driver (see trainContainerRuns) ends with the JVM
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Children by vfork on JDKs before 25: their default spawns each through jspawnhelper, two execs per child, and a
     * container's start has several (mount, the monitor). JDK 25 deprecates vfork and says so on stderr at every first
     * spawn: there, its default. Read by the JDK when its process classes initialise, so set first; an explicit
     * {@code -Djdk.lang.Process.launchMechanism} stays. (bin/andock read the JDK's version from its release file
     * before; here it costs the launcher nothing.)
     */
    static void preferVfork() {
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null && Runtime.version().feature() < 25) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
    }

    /**
     * The class-data-sharing training run bin/andock starts once per jar and JDK (with {@code
     * -XX:DumpLoadedClassList}, then {@code -Xshare:dump}): copies the jar's resources where {@code
     * -Dandock.cds.resources} says, loads every class of this jar, then runs a few commands and containers on the
     * scratch root {@code root} so that the archive also holds the JDK classes and lambda forms they use. Output is
     * discarded.
     */
    static void trainForCds(Path root) {
        ClassLoader loader = Main.class.getClassLoader();
        String resources = System.getProperty("andock.cds.resources");
        try {
            Path jarPath = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try {
                if (resources != null) io.andock.engine.StartupTraining.copyResources(jarPath, Path.of(resources));
            } catch (Exception ignored) {
                // no copy: runs read the jar
            }
            try (JarFile jar = new JarFile(jarPath.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    String n = e.getName();
                    if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) continue;
                    try {
                        Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    } catch (Throwable ignored) {
                        // optional dependencies of a shaded library: not needed at run time either
                    }
                }
            }
        } catch (Exception ignored) {
            // not run from a jar: the commands below still train
        }
        PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
        String r = root.toString();
        for (String[] args : new String[][]{{"--help"}, {"--root", r, "images"}, {"--root", r, "ps", "-a"},
                {"--root", r, "volume", "ls"}, {"--root", r, "run", "--help"}, {"--root", r, "inspect", "none"},
                {"--root", r, "rm", "-f", "none"}, {"--root", r, "logs", "none"}}) {
            run(args, sink, sink);
        }
        trainJdkPaths(root);
        // bounded: a phone whose kernel breaks ptrace may hang proot; the classes loaded by then are listed anyway
        Thread runs = new Thread(() -> trainContainerRuns(root, sink), "andock-train-runs");
        runs.setDaemon(true);
        runs.start();
        try {
            runs.join(CONTAINER_TRAINING_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final long CONTAINER_TRAINING_MILLIS = 120_000;

    /**
     * A container's whole path, once per driver this host may use: import, {@code run --rm}, the rootfs, the monitor,
     * the wait, the removal. Without it ~60 classes, half of them lambdas and their method-handle forms, were
     * made at run time in each {@code run} (bin/andock's archive held only what the commands above reach). The
     * image holds one file that is no program (four zero bytes): the container's exec fails inside the driver,
     * after andock has done every step; nothing outside {@code root} is written (the oci driver gets no network,
     * its runtime's state is under {@code root}).
     */
    private static void trainContainerRuns(Path root, PrintWriter sink) {
        String r = root.toString();
        try {
            Path tar = root.resolveSibling("train.tar");
            io.andock.engine.StartupTraining.image(tar);
            run(new String[]{"--root", r, "import", tar.toString(), "andock-train:1"}, sink, sink);
        } catch (Exception | Error ignored) {
            return; // training is best effort
        }
        for (String[] driver : new String[][]{{"proot"}, {"chroot"}, {"oci", "--net", "none"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("--root", r, "--driver", driver[0], "run", "--rm"));
            args.addAll(List.of(driver).subList(1, driver.length));
            args.addAll(List.of("andock-train:1", "/train"));
            try {
                run(args.toArray(String[]::new), sink, sink);
            } catch (Exception | Error ignored) {
                // a driver this host lacks
            }
        }
    }

    /**
     * The JDK's side of a container's start, which the commands above never reach (they run no container): a
     * child process waited for, a file lock, times parsed and printed. Their classes and method-handle forms then
     * come from the archive too (a run loaded ~150 classes outside it).
     */
    private static void trainJdkPaths(Path root) {
        try {
            java.nio.file.Files.createDirectories(root);
            Path lock = root.resolve("train.lock");
            try (var ch = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE); var l = ch.lock()) {
                java.time.Instant.parse(java.time.Instant.now().toString());
            }
            Process p = new ProcessBuilder("sh", "-c", "exit 0").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("train.log").toFile())).start();
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            ProcessHandle.current().info();
            Process q = new ProcessBuilder("sh", "-c", "exit 0").start();
            q.getInputStream().readAllBytes();
            q.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // training is best effort
        }
    }

    /** Runs one command line; the entry point tests call in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        LeanCommandLine.Parsed lean = LEAN ? LeanCommandLine.parse(args) : null;
        if (lean == null && LEAN) lean = LeanHubServe.parse(args);
        if (lean != null) return runLean(lean, out, err);
        return runPicocli(args, out, err);
    }

    /** ANDOCK_LEAN=0: every command line through picocli (to compare, or should the lean parser be at fault). */
    private static final boolean LEAN = !"0".equals(System.getenv("ANDOCK_LEAN"));

    /** A hot command the lean parser read: run as picocli would have, without picocli. */
    private static int runLean(LeanCommandLine.Parsed p, PrintWriter out, PrintWriter err) {
        trace("lean parse");
        EngineCommand c = p.command();
        if (c instanceof RunCommand || c instanceof CreateCommand || c instanceof StartCommand || c instanceof ExecCommand) {
            warmProcessStart();
        }
        try {
            return c.call(p.root(), p.driver(), out, err);
        } catch (Exception e) {
            return failed(e, err, "debug".equalsIgnoreCase(p.logLevel()));
        } finally {
            out.flush();
            err.flush();
            trace("command done");
        }
    }

    /**
     * The JVM's first process start initialises the JDK's process classes first (ProcessImpl, ProcessHandleImpl: 4-12
     * ms here, more on a phone); a command that will start processes (the overlay's mount, the monitor) has that done
     * on a second thread while it opens the engine. So is the JDK's set-up for lambdas (java.lang.invoke, ~8 ms at
     * the first one, profiled), which this thread meets only once the engine opens: the warming thread is a class of
     * its own, not a lambda, and links one. Initialisation only: no process is started here.
     */
    private static void warmProcessStart() {
        Thread t = new ProcessWarmer();
        t.setDaemon(true);
        t.start();
    }

    private static final class ProcessWarmer extends Thread {
        ProcessWarmer() {
            super("andock-warm-process");
        }

        @Override
        public void run() {
            try {
                java.util.function.IntUnaryOperator first = n -> n + 1;
                first.applyAsInt(0);
                Class.forName("java.lang.ProcessImpl", true, null);
                Class.forName("java.lang.ProcessHandleImpl", true, null);
            } catch (Throwable ignored) {
                // the first start does it then
            }
        }
    }

    /** A command that failed: one line on stderr (and its stack with --log-level debug); Docker's exit code. */
    private static int failed(Exception ex, PrintWriter err, boolean debug) {
        if (ex instanceof AndockException a) {
            err.println("Error: " + ErrorLine.of(a.getMessage()));
        } else {
            err.println("Error: " + ErrorLine.of(ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        }
        if (debug) ex.printStackTrace(err);
        err.flush();
        // 126/127 when a container's command could not be run, as docker run exits.
        return ExecFailure.exitCode(ex);
    }

    /** The picocli command line as {@link #run} uses it: every command, help, errors. */
    static CommandLine commandLine(String[] args, AndockCommand root, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(root);
        cl.setExpandAtFiles(false);   // an argument "@FILE" is the argument, as docker reads it (a container's command too)
        addSubcommands(cl, args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Everything after the image (or container) is the container's command line, flags included.
        for (String name : new String[]{"run", "create", "exec"}) {
            CommandLine c = cl.getSubcommands().get(name);
            if (c != null) c.setStopAtPositional(true);
            CommandLine container = cl.getSubcommands().get("container");
            if (container != null) container.getSubcommands().get(name).setStopAtPositional(true);
        }
        trace("picocli model");
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("andock: " + ErrorLine.of(ex.getMessage()));
            CommandLine c = ex.getCommandLine();
            err.println("See '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return ENGINE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> failed(ex, err, root.debug()));
        return cl;
    }

    private static int runPicocli(String[] args, PrintWriter out, PrintWriter err) {
        AndockCommand root = new AndockCommand();
        CommandLine cl = commandLine(args, root, out, err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
            trace("command done");
        }
    }

    /**
     * Adds the subcommand {@code args} names, or every subcommand when it names none or an unknown one (help, the
     * "did you mean" of an unknown command); none for a bare {@code --version}. Building a picocli command model
     * costs milliseconds per subcommand at start-up (reflection, interpreted code), so only the one needed is built.
     */
    static void addSubcommands(CommandLine cl, String[] args) {
        String name = subcommandName(args);
        if (name == null && (List.of(args).contains("-V") || List.of(args).contains("--version"))
                && !List.of(args).contains("-h") && !List.of(args).contains("--help")) {
            return;
        }
        Class<?> only = null;
        for (Class<?> c : AndockCommand.SUBCOMMANDS) {
            CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
            if (name != null && (a.name().equals(name) || List.of(a.aliases()).contains(name))) only = c;
        }
        for (Class<?> c : AndockCommand.SUBCOMMANDS) {
            if (only == null || only == c) cl.addSubcommand(new CommandLine(c));
        }
        CommandLine image = cl.getSubcommands().get("image");
        if (image != null) ImageCommand.register(image);
        CommandLine container = cl.getSubcommands().get("container");
        if (container != null) ContainerCommand.register(container);
    }

    /** The first argument that is not a root option (or its value), or null. */
    static String subcommandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return null;
            if (!a.startsWith("-")) return a;
            if (AndockCommand.VALUE_OPTIONS.contains(a)) i++;
        }
        return null;
    }
}
