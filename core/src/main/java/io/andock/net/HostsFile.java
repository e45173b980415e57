package io.andock.net;

/** The container's {@code /etc/hosts} on a bridge: its own name on its address, as Docker writes it. */
final class HostsFile {
    private HostsFile() {}

    /** {@code hosts} with the {@code 127.0.1.1 hostname} line (EtcFiles') replaced by {@code ip hostname}, or one added. */
    static String withAddress(String hosts, String ip, String hostname) {
        StringBuilder b = new StringBuilder();
        boolean done = false;
        for (String line : hosts.split("\n", -1)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && (f[0].equals("127.0.1.1") || f[0].equals(ip)) && java.util.Arrays.asList(f).subList(1, f.length).contains(hostname)) {
                if (!done) b.append(ip).append('\t').append(hostname).append('\n');
                done = true;
                continue;
            }
            if (!line.isEmpty()) b.append(line).append('\n');
        }
        if (!done) b.append(ip).append('\t').append(hostname).append('\n');
        return b.toString();
    }
}
