package io.andock;

/**
 * Where a command's time goes, on stderr, when the environment has {@code ANDOCK_TRACE_STARTUP} (bin/andock then
 * puts its own start there, in epoch nanoseconds) or the system property {@code andock.trace} is set: one line per
 * phase with the milliseconds since the JVM's {@code main}, since bin/andock started, and since the phase before.
 * Off, a phase costs one field read. Phases are marked from the CLI's thread and, in a pull, from its download and
 * unpack threads (hence synchronized, and "+N ms" is since the phase before on any thread); the API daemon has its
 * own per-request trace.
 */
public final class Trace {
    private static final long T0 = System.nanoTime();
    private static final String LAUNCHED = System.getenv("ANDOCK_TRACE_STARTUP");
    private static final boolean ON = LAUNCHED != null || System.getProperty("andock.trace") != null;
    private static long last = T0;   // guarded by Trace.class

    private Trace() {
    }

    public static boolean on() {
        return ON;
    }

    /** Marks the end of phase {@code what}. Plain string building: a Formatter would cost the trace itself ~15 ms. */
    public static synchronized void phase(String what) {
        if (!ON) return;
        long now = System.nanoTime();
        StringBuilder b = new StringBuilder(96).append("andock: trace: ").append(what);
        while (b.length() < 40) b.append(' ');
        b.append(pad((now - T0) / 1_000_000)).append(" ms since main, ");
        b.append(pad(launched() < 0 ? -1 : System.currentTimeMillis() - launched() / 1_000_000)).append(" ms since bin/andock started, +");
        b.append((now - last) / 1_000_000).append(" ms");
        System.err.println(b);
        last = now;
    }

    /** bin/andock's start in epoch nanoseconds, or -1 (the variable only said "on"). */
    private static long launched() {
        if (LAUNCHED == null || LAUNCHED.length() != 19) return -1;
        for (int i = 0; i < LAUNCHED.length(); i++) if (!Character.isDigit(LAUNCHED.charAt(i))) return -1;
        return Long.parseLong(LAUNCHED);
    }

    private static String pad(long n) {
        String s = Long.toString(n);
        return "     ".substring(Math.min(5, s.length())) + s;
    }
}
