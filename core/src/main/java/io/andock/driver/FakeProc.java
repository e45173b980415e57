package io.andock.driver;

/** Plausible contents for {@code /proc} files Android hides from apps (as proot-distro binds them). */
final class FakeProc {
    private FakeProc() {}

    static String content(String name) {
        long up = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000 + 1000;
        int cpus = Runtime.getRuntime().availableProcessors();
        return switch (name) {
            case "loadavg" -> "0.12 0.07 0.02 2/165 765\n";
            case "uptime" -> up + ".00 " + up * cpus + ".00\n";
            case "version" -> "Linux version " + System.getProperty("os.version")
                    + " (andock@andock) (gcc version 4.9.x) #1 SMP PREEMPT Fri Jul 10 00:00:00 UTC 2020\n";
            case "vmstat" -> "nr_free_pages 146031\nnr_inactive_anon 196744\nnr_active_anon 26183\npgpgin 890508\npgpgout 0\n";
            default -> stat(cpus);
        };
    }

    private static String stat(int cpus) {
        StringBuilder b = new StringBuilder("cpu  1957 0 2877 93280 262 342 254 87 0 0\n");
        for (int i = 0; i < cpus; i++) b.append("cpu").append(i).append(" 31 0 32 6325 2 34 25 2 0 0\n");
        return b.append("intr 63361 0 0 0\nctxt 38014093\nbtime 1694292441\nprocesses 26442\nprocs_running 1\nprocs_blocked 0\n")
                .append("softirq 75663 0 5903 6 25375 10774 0 243 11685 0 21677\n").toString();
    }
}
