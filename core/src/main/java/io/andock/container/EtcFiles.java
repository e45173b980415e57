package io.andock.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf} a container gets, written into its
 * directory and bound over the image's. resolv.conf: the host's (or Termux's {@code $PREFIX/etc/resolv.conf});
 * where there is none, as on Android, public resolvers, with a comment saying so.
 */
public final class EtcFiles {
    static final String FALLBACK_RESOLV = "# andock: the host has no /etc/resolv.conf; using public resolvers\n"
            + "nameserver 8.8.8.8\nnameserver 1.1.1.1\n";

    private EtcFiles() {}

    /** Writes the three files into {@code dir}; returns destination → file. */
    public static Map<String, Path> write(ContainerDir dir, String hostname, boolean hostNetwork) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Path hostnameFile = dir.hostname();
        Files.writeString(hostnameFile, hostname + "\n");
        Path hosts = dir.hosts();
        Files.writeString(hosts, hosts(hostname, hostNetwork ? readable(Path.of("/etc/hosts")) : null));
        Path resolv = dir.resolvConf();
        Files.writeString(resolv, resolvConf());
        out.put("/etc/hostname", hostnameFile);
        out.put("/etc/hosts", hosts);
        out.put("/etc/resolv.conf", resolv);
        return out;
    }

    static String hosts(String hostname, String hostHosts) {
        StringBuilder b = new StringBuilder();
        if (hostHosts != null && !hostHosts.isBlank()) {
            b.append(hostHosts);
            if (!hostHosts.endsWith("\n")) b.append('\n');
        } else {
            b.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                    .append("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        }
        if (!containsName(b.toString(), hostname)) b.append("127.0.1.1\t").append(hostname).append('\n');
        return b.toString();
    }

    private static boolean containsName(String hosts, String name) {
        for (String line : hosts.split("\n")) {
            String l = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            String[] f = l.trim().split("\\s+");
            for (int i = 1; i < f.length; i++) if (f[i].equals(name)) return true;
        }
        return false;
    }

    static String resolvConf() {
        String host = readable(Path.of("/etc/resolv.conf"));
        if (host == null && System.getenv("PREFIX") != null) host = readable(Path.of(System.getenv("PREFIX"), "etc/resolv.conf"));
        if (host != null && host.contains("nameserver")) return host;
        return FALLBACK_RESOLV;
    }

    private static String readable(Path p) {
        try {
            return Files.isReadable(p) ? Files.readString(p) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
