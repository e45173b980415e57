package io.andock.cli;

import io.andock.AndockException;
import io.andock.container.ContainerSpec;
import io.andock.container.Healthcheck;
import io.andock.container.LogConfig;
import io.andock.container.MountSpec;
import io.andock.container.Resources;
import io.andock.container.RestartPolicy;
import io.andock.container.SecurityOptions;
import io.andock.dockerfile.GoDuration;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The flags {@code create} and {@code run} share, turned into a {@link ContainerSpec} as Docker reads them. */
final class ContainerFlags {
    @Option(names = "--name", description = "Assign a name to the container.")
    String name;
    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "Set an environment variable (K alone: take it from this environment).")
    List<String> env = new ArrayList<>();
    @Option(names = "--env-file", paramLabel = "FILE", description = "Read environment variables from a file.")
    List<Path> envFiles = new ArrayList<>();
    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
    String workdir;
    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]")
    String user;
    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Overwrite the image's entrypoint ('' clears it).")
    String entrypoint;
    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]")
    List<String> volumes = new ArrayList<>();
    @Option(names = "--tmpfs", paramLabel = "DST[:OPTS]")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOST:CTR[/PROTO]")
    List<String> publish = new ArrayList<>();
    @Option(names = {"--network", "--net"}, paramLabel = "MODE", description = "host, none, bridge, or a network made with `andock network create`.")
    String network;
    @Option(names = "--hostname", paramLabel = "NAME")
    String hostname;
    @Option(names = {"-l", "--label"}, paramLabel = "K=V")
    List<String> labels = new ArrayList<>();
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
    boolean tty;
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open.")
    boolean interactive;
    @Option(names = "--restart", paramLabel = "POLICY", description = "no, on-failure[:N], always, unless-stopped (acted on by the daemon).")
    String restart;
    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes.")
    boolean init;
    @Option(names = "--stop-signal", paramLabel = "SIGNAL")
    String stopSignal;
    @Option(names = "--stop-timeout", paramLabel = "SECONDS")
    Integer stopTimeout;
    @Option(names = {"-m", "--memory"}, paramLabel = "BYTES", description = "Memory limit (e.g. 64m, 1g).")
    String memory;
    @Option(names = "--cpus", paramLabel = "N")
    String cpus;
    @Option(names = "--pids-limit", paramLabel = "N")
    long pidsLimit;
    @Option(names = "--cap-add", paramLabel = "CAP")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", paramLabel = "CAP")
    List<String> capDrop = new ArrayList<>();
    @Option(names = "--privileged")
    boolean privileged;
    @Option(names = "--security-opt", paramLabel = "OPT", description = "seccomp=unconfined is understood.")
    List<String> securityOpts = new ArrayList<>();
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]")
    String platform;
    @Option(names = "--health-cmd", paramLabel = "CMD", description = "Command to run to check health (run by sh -c in the container).")
    String healthCmd;
    @Option(names = "--health-interval", paramLabel = "DURATION", description = "Time between running the check (e.g. 30s).")
    String healthInterval;
    @Option(names = "--health-timeout", paramLabel = "DURATION", description = "Maximum time to allow one check to run.")
    String healthTimeout;
    @Option(names = "--health-start-period", paramLabel = "DURATION", description = "Start period: failures do not count yet.")
    String healthStartPeriod;
    @Option(names = "--health-start-interval", paramLabel = "DURATION")
    String healthStartInterval;
    @Option(names = "--health-retries", paramLabel = "N", description = "Consecutive failures needed to report unhealthy.")
    int healthRetries;
    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK.")
    boolean noHealthcheck;
    @Option(names = "--log-driver", paramLabel = "DRIVER", description = "json-file (default), local or none.")
    String logDriver;
    @Option(names = "--log-opt", paramLabel = "K=V", description = "Log driver option: max-size=10m, max-file=3.")
    List<String> logOpts = new ArrayList<>();
    @Option(names = "--link", paramLabel = "NAME[:ALIAS]", description = "Add a legacy link to another container.")
    List<String> links = new ArrayList<>();

    ContainerSpec toSpec(String image, List<String> command, boolean autoRemove, String driver) {
        ContainerSpec.Builder b = ContainerSpec.builder(image).name(name).workingDir(workdir).user(user).tty(tty)
                .openStdin(interactive).hostname(hostname).networkMode(network).autoRemove(autoRemove).init(init)
                .stopSignal(stopSignal).stopTimeout(stopTimeout).platform(platform).driver(driver);
        List<String> envs = new ArrayList<>();
        for (Path f : envFiles) envs.addAll(readEnvFile(f));
        for (String e : env) envs.add(hostEnv(e));
        b.env(envs);
        if (entrypoint != null) b.entrypoint(entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
        if (command != null && !command.isEmpty()) b.cmd(command);
        for (String v : volumes) b.volume(v);
        for (String t : tmpfs) b.mount(MountSpec.parseTmpfs(t));
        for (String p : publish) b.publish(p);
        for (String l : labels) {
            int eq = l.indexOf('=');
            b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        if (restart != null) b.restartPolicy(RestartPolicy.parse(restart));
        b.resources(new Resources(memory == null ? 0 : bytes(memory), cpus == null ? 0 : nanoCpus(cpus), pidsLimit));
        boolean seccomp = !securityOpts.contains("seccomp=unconfined") && !securityOpts.contains("seccomp:unconfined");
        b.security(new SecurityOptions(capAdd, capDrop, privileged, seccomp));
        b.healthcheck(healthcheck());
        if (logDriver != null || !logOpts.isEmpty()) b.logConfig(LogConfig.parse(logDriver, logOpts));
        b.links(links);
        return b.build();
    }

    /** docker's --health-* and --no-healthcheck (which conflicts with any of the others); null: the image's. */
    private Healthcheck healthcheck() {
        boolean any = healthCmd != null || healthInterval != null || healthTimeout != null || healthStartPeriod != null
                || healthStartInterval != null || healthRetries != 0;
        if (noHealthcheck) {
            if (any) throw AndockException.invalid("--no-healthcheck conflicts with --health-* options");
            return new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0);
        }
        if (!any) return null;
        return new Healthcheck(healthCmd == null ? List.of() : List.of("CMD-SHELL", healthCmd), duration(healthInterval),
                duration(healthTimeout), duration(healthStartPeriod), duration(healthStartInterval), healthRetries);
    }

    private static long duration(String s) {
        return s == null ? 0 : GoDuration.parse(s);
    }

    /** {@code -e K} takes K from this environment (and is dropped when unset), as docker does. */
    private static String hostEnv(String e) {
        if (e.contains("=")) return e;
        String v = System.getenv(e);
        return v == null ? e + "=" : e + "=" + v;
    }

    static List<String> readEnvFile(Path f) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String l = line.stripLeading();
                if (l.isEmpty() || l.startsWith("#")) continue;
                out.add(hostEnv(l));
            }
        } catch (IOException e) {
            throw AndockException.wrap("read env file " + f, e);
        }
        return out;
    }

    /** {@code 64m}, {@code 1g}, {@code 512k}, {@code 1048576}: binary units, as docker's RAMInBytes. */
    static long bytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                case 't' -> mult = 1L << 40;
                default -> { }
            }
        }
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            return (long) (Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw AndockException.invalid("invalid size: '" + s + "'");
        }
    }

    static long nanoCpus(String s) {
        try {
            return (long) (Double.parseDouble(s) * 1e9);
        } catch (NumberFormatException e) {
            throw AndockException.invalid("invalid argument \"" + s + "\" for \"--cpus\" flag");
        }
    }
}
