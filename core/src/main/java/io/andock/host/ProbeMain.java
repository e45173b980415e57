package io.andock.host;

import io.andock.AndockException;
import io.andock.json.Json;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Prints what this machine allows: {@code java -cp andock-core.jar io.andock.host.ProbeMain [--full] [--json]
 * [--driver NAME] [--cache DIR] [--scratch DIR]}. For debugging and for the Android simulation test; the CLI's
 * {@code andock info} uses {@link HostReport} directly. Exit 0, or 2 for a bad argument.
 */
public final class ProbeMain {

    private ProbeMain() {
    }

    public static void main(String[] args) {
        boolean full = false;
        boolean json = false;
        String driver = null;
        Path cache = null;
        Path scratch = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--json" -> json = true;
                case "--driver" -> driver = arg(args, ++i);
                case "--cache" -> cache = Path.of(arg(args, ++i));
                case "--scratch" -> scratch = Path.of(arg(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        HostProbe probe = HostProbe.system(cache);
        HostInfo info = full ? probe.full(scratch) : probe.quick();
        HostReport report;
        try {
            report = HostReport.of(info, Optional.ofNullable(driver));
        } catch (AndockException e) {
            usage(e.getMessage());
            return;
        }
        System.out.print(json ? Json.pretty(report.toJson(), 2) + "\n" : report.toText());
    }

    private static String arg(String[] args, int i) {
        if (i >= args.length) usage("missing value for " + args[i - 1]);
        return args[i];
    }

    private static void usage(String why) {
        System.err.println("probe: " + why);
        System.err.println("usage: ProbeMain [--full] [--json] [--driver NAME] [--cache DIR] [--scratch DIR]");
        System.exit(2);
    }
}
