package io.andock.net;

import io.andock.os.HostTools;

import java.util.concurrent.TimeUnit;

/** Whether iptables (legacy or nf_tables) can change the nat table here, which CNI portmap and masquerading need. */
final class Iptables {
    private static Boolean usable;

    private Iptables() {}

    static synchronized boolean usable() {
        if (usable == null) usable = probe();
        return usable;
    }

    /** {@code iptables -w -t nat -S POSTROUTING} works: listing needs the same netlink/socket access as changing. */
    private static boolean probe() {
        String ipt = HostTools.find("iptables");
        if (ipt == null) return false;
        try {
            Process p = new ProcessBuilder(ipt, "-w", "-t", "nat", "-S", "POSTROUTING").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
