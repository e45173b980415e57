package io.andock.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code andock [--root DIR] hub serve [OPTIONS]} read without picocli. The hub is a long-lived server whose idle
 * memory is a goal (bench/README.md): picocli's classes, the command classes its model reads and their reflective
 * data stay loaded for the server's whole life (2-3 MB of its ~64 MB idle RSS). Only the plain forms are read here:
 * {@code --opt VALUE}, {@code --opt=VALUE} and the flags, root options before {@code hub} or after {@code serve}. Anything else
 * (help, an unknown option, a positional argument, an option between {@code hub} and {@code serve}, a missing value) is declined (null) and
 * picocli reads the line as before, with its messages. {@code LeanHubServeTest} holds the table to picocli's model.
 */
final class LeanHubServe {
    /** Serve's options as picocli declares them: those taking a value, then the flags. */
    static final List<String> VALUED = List.of("--addr", "--config", "--tls-cert", "--tls-key", "--htpasswd", "--upstream");
    static final List<String> FLAGS = List.of("--anonymous-pull", "--plain-http", "--sparse-manifests");
    /** The root options (AndockCommand's, inherited): before {@code hub} or after {@code serve}, as picocli reads them. */
    static final List<String> ROOT = List.of("--root", "--log-level", "--driver");

    private LeanHubServe() {
    }

    /** The parsed line, or null when it is picocli's to read. */
    static LeanCommandLine.Parsed parse(String[] args) {
        try {
            Path root = null;
            String logLevel = null;
            String driver = null;
            int i = 0;
            for (; i < args.length && args[i].startsWith("-"); i++) {
                String[] kv = split(args, i);
                if (kv[1] == null) {
                    if (i + 1 >= args.length) return null;
                    kv[1] = args[++i];
                }
                switch (kv[0]) {
                    case "--root" -> root = Path.of(kv[1]);
                    case "--log-level" -> logLevel = kv[1];
                    case "--driver" -> driver = kv[1];
                    default -> {
                        return null;
                    }
                }
            }
            if (args.length < i + 2 || !args[i].equals("hub") || !args[i + 1].equals("serve")) return null;
            HubCommand.Serve s = new HubCommand.Serve();
            for (i += 2; i < args.length; i++) {
                String[] kv = split(args, i);
                if (FLAGS.contains(kv[0])) {
                    if (kv[1] != null) return null;   // --plain-http=true: picocli's reading of it
                    switch (kv[0]) {
                        case "--anonymous-pull" -> s.anonymousPull = true;
                        case "--plain-http" -> s.plainHttp = true;
                        default -> s.sparse = true;
                    }
                    continue;
                }
                if (!VALUED.contains(kv[0]) && !ROOT.contains(kv[0])) return null;
                if (kv[1] == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) return null;
                    kv[1] = args[++i];
                }
                switch (kv[0]) {
                    case "--root" -> root = Path.of(kv[1]);
                    case "--log-level" -> logLevel = kv[1];
                    case "--driver" -> driver = kv[1];
                    case "--addr" -> s.addr = kv[1];
                    case "--config" -> s.configFile = Path.of(kv[1]);
                    case "--tls-cert" -> s.tlsCert = Path.of(kv[1]);
                    case "--tls-key" -> s.tlsKey = Path.of(kv[1]);
                    case "--htpasswd" -> s.htpasswd = Path.of(kv[1]);
                    default -> s.upstreams.add(kv[1]);
                }
            }
            s.leanRoot = root;
            return new LeanCommandLine.Parsed(s, root, logLevel, driver);
        } catch (InvalidPathException e) {
            return null;   // picocli's message
        }
    }

    /** {@code --opt=value} as {opt, value}; {@code --opt} as {opt, null}. */
    private static String[] split(String[] args, int i) {
        String a = args[i];
        int eq = a.startsWith("--") ? a.indexOf('=') : -1;
        return eq < 0 ? new String[]{a, null} : new String[]{a.substring(0, eq), a.substring(eq + 1)};
    }
}
