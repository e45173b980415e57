package io.andock.registry;

import java.net.http.HttpClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stops a JDK HttpClient's selector thread. The thread waits in epoll_wait, in native code, and at exit HotSpot
 * waits up to 300 ms for user threads in native to stop (VM_Exit::wait_for_threads_in_native_to_block): every
 * {@code pull} paid that at exit. JDK 21 and later have {@code HttpClient.shutdownNow()}; Java 17's client cannot
 * be closed, but its selector thread ({@code HttpClient-N-SelectorManager}, N in the client's {@code toString})
 * ends its loop when interrupted. Either way the thread is then given a moment to end.
 */
final class HttpClientShutdown {
    private static final Pattern ID = Pattern.compile("\\((\\d+)\\)$");
    private static final long JOIN_MS = 200;

    private HttpClientShutdown() {
    }

    static void shutdown(HttpClient http) {
        Thread selector = selectorThread(http);
        boolean stopped = false;
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(http);   // JDK 21+
            stopped = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Java 17: no API; interrupting the selector thread ends its loop
        }
        if (selector == null) return;
        if (!stopped) selector.interrupt();
        try {
            selector.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client's selector thread, or null when it cannot be told (another JDK's naming). */
    static Thread selectorThread(HttpClient http) {
        Matcher m = ID.matcher(String.valueOf(http));
        if (!m.find()) return null;
        String name = "HttpClient-" + m.group(1) + "-SelectorManager";
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) return t;
        }
        return null;
    }
}
