package io.andock.registry;

import io.andock.AndockException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How andock talks to registries.
 *
 * @param insecureRegistries     registries ({@code host[:port]}, or {@code host} for every port) reached over plain
 *                               HTTP when HTTPS fails (Docker's {@code --insecure-registry}); loopback needs no entry
 * @param mirrors                per registry ({@code docker.io}, {@code host:port}), mirror base URLs tried in order
 *                               before it for pulls ({@code https://mirror.example}, {@code http://10.0.0.2:5000});
 *                               Docker's {@code registry-mirrors} is the {@code docker.io} entry
 * @param maxConcurrentDownloads blobs a pull fetches at once (read by the copy, not enforced here)
 * @param retries                extra attempts after a connection error, 5xx or 429; also the resumes a blob
 *                               stream makes in a row without getting 64 KiB further
 * @param connectTimeout         TCP (and TLS) connect
 * @param requestTimeout         from sending a request to the response headers
 * @param readTimeout            longest wait for the next byte of a response body (a stalled registry); then the
 *                               read fails as a dropped connection does: resumed or retried, then an error
 * @param initialBackoff         first delay between attempts; doubled each attempt, with jitter, at most 30 s
 */
public record RegistryOptions(Set<String> insecureRegistries, Map<String, List<String>> mirrors,
                              int maxConcurrentDownloads, int retries, Duration connectTimeout,
                              Duration requestTimeout, Duration readTimeout, Duration initialBackoff) {

    public RegistryOptions {
        Set<String> insecure = new TreeSet<>();
        for (String s : insecureRegistries) insecure.add(stripScheme(s));
        insecureRegistries = Set.copyOf(insecure);
        Map<String, List<String>> m = new LinkedHashMap<>();
        // a loop, not forEach with a lambda: every command builds these options at start-up, and a lambda's first
        // link costs it (profiled)
        for (Map.Entry<String, List<String>> e : mirrors.entrySet()) m.put(CredentialStore.normalize(e.getKey()), List.copyOf(e.getValue()));
        mirrors = Map.copyOf(m);
        if (maxConcurrentDownloads < 1) throw AndockException.invalid("max concurrent downloads must be at least 1");
        if (retries < 0) throw AndockException.invalid("retries must not be negative");
        if (readTimeout.isNegative() || readTimeout.isZero() || readTimeout.compareTo(MAX_READ_TIMEOUT) > 0) {
            throw AndockException.invalid("read timeout must be between 1 ms and " + MAX_READ_TIMEOUT.toSeconds() + " s");
        }
    }

    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_READ_TIMEOUT = Duration.ofHours(1);

    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), Map.of(), 3, 4, Duration.ofSeconds(15), Duration.ofSeconds(60),
                DEFAULT_READ_TIMEOUT, Duration.ofMillis(500));
    }

    public RegistryOptions withReadTimeout(Duration idle) {
        return new RegistryOptions(insecureRegistries, mirrors, maxConcurrentDownloads, retries, connectTimeout, requestTimeout, idle, initialBackoff);
    }

    public RegistryOptions withInsecureRegistries(Set<String> registries) {
        return new RegistryOptions(registries, mirrors, maxConcurrentDownloads, retries, connectTimeout, requestTimeout, readTimeout, initialBackoff);
    }

    public RegistryOptions withMirrors(Map<String, List<String>> byRegistry) {
        return new RegistryOptions(insecureRegistries, byRegistry, maxConcurrentDownloads, retries, connectTimeout, requestTimeout, readTimeout, initialBackoff);
    }

    public RegistryOptions withRetries(int count, Duration firstBackoff) {
        return new RegistryOptions(insecureRegistries, mirrors, maxConcurrentDownloads, count, connectTimeout, requestTimeout, readTimeout, firstBackoff);
    }

    public RegistryOptions withTimeouts(Duration connect, Duration request) {
        return new RegistryOptions(insecureRegistries, mirrors, maxConcurrentDownloads, retries, connect, request, readTimeout, initialBackoff);
    }

    public RegistryOptions withMaxConcurrentDownloads(int n) {
        return new RegistryOptions(insecureRegistries, mirrors, n, retries, connectTimeout, requestTimeout, readTimeout, initialBackoff);
    }

    /** Whether {@code registry} ({@code host[:port]}) was listed as insecure, with its port or without. */
    public boolean isInsecure(String registry) {
        if (insecureRegistries.contains(registry)) return true;
        return insecureRegistries.contains(Endpoint.hostOf(registry));
    }

    private static String stripScheme(String s) {
        String r = s.replaceFirst("^[a-zA-Z]+://", "");
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }
}
