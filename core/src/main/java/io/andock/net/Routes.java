package io.andock.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** This machine's IPv4 routes ({@code /proc/net/route}) and network links ({@code /sys/class/net}). */
final class Routes {
    private Routes() {}

    /** An IPv4 prefix. */
    record Route(int address, int prefix) {
        static Route parse(String cidr) {
            String[] p = cidr.split("/");
            String[] o = p[0].split("\\.");
            int a = 0;
            for (String x : o) a = (a << 8) | Integer.parseInt(x);
            return new Route(a, Integer.parseInt(p[1]));
        }

        int mask() {
            return prefix == 0 ? 0 : -1 << (32 - prefix);
        }

        boolean overlaps(Route o) {
            int m = prefix < o.prefix ? mask() : o.mask();
            return (address & m) == (o.address & m);
        }
    }

    static List<Route> read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/net/route")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code /proc/net/route}'s lines: destination and mask in host (little-endian) hex. */
    static List<Route> parse(List<String> lines) {
        List<Route> out = new ArrayList<>();
        for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 8) continue;
            int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
            int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
            out.add(new Route(dest, Integer.bitCount(mask)));
        }
        return out;
    }

    static Set<String> links() {
        Set<String> out = new HashSet<>();
        try (var ds = Files.list(Path.of("/sys/class/net"))) {
            ds.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            // unknown: none
        }
        return out;
    }
}
