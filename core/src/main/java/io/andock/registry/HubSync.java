package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.Reference;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * The three requests of andock hub's sync extension ({@code io.andock.sync}): discovery, a layer's plan, a pack
 * (resumed with {@code Range} after a dropped connection, as blobs are). Sent to the registry itself, never to a
 * mirror: only the hub that holds the repository knows its file indexes.
 */
final class HubSync {
    /** Most bytes of a plan's answer. */
    private static final int MAX_PLAN_ANSWER = 1 << 20;

    private HubSync() {
    }

    /** Whether the registry answers {@code GET /v2/_andock/sync}; any failure means no. */
    static boolean discover(RegistryTransport transport, List<Endpoint> endpoints) {
        try {
            return transport.call(endpoints, RegistryRequest.get("/v2/_andock/sync", null, Map.of()), r -> {
                byte[] b = r.body().readNBytes(4096);
                r.body().close();
                return r.statusCode() == 200 && new String(b, java.nio.charset.StandardCharsets.UTF_8).contains("\"sync\"");
            });
        } catch (AndockException e) {
            return false;
        }
    }

    static byte[] plan(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, byte[] request) {
        String path = "/v2/_andock/sync/" + repo.repository() + "/plan";
        RegistryRequest req = new RegistryRequest("POST", path, Map.of("Content-Type", "application/json"),
                RegistryRequest.pullScope(repo.repository()), RegistryRequest.Body.of(request), true);
        return transport.call(endpoints, req, r -> {
            if (r.statusCode() != 200) throw RegistryErrors.of(r, "sync plan for " + repo.familiarName());
            try (InputStream in = r.body()) {
                byte[] b = in.readNBytes(MAX_PLAN_ANSWER + 1);
                if (b.length > MAX_PLAN_ANSWER) throw AndockException.corrupt("sync plan: answer larger than " + MAX_PLAN_ANSWER + " bytes");
                return b;
            }
        });
    }

    static InputStream pack(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest pack, long size,
                            long offset, int maxStalls) {
        return new ResumingInputStream(at -> open(transport, endpoints, repo, pack, at), offset, size, maxStalls,
                "fetch sync pack " + pack);
    }

    private static InputStream open(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest pack, long offset) {
        String path = "/v2/_andock/sync/" + repo.repository() + "/packs/" + pack;
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        RegistryRequest req = RegistryRequest.get(path, RegistryRequest.pullScope(repo.repository()), headers);
        return transport.call(endpoints, req, r -> body(r, repo, offset));
    }

    private static InputStream body(HttpResponse<InputStream> r, Reference repo, long offset) throws IOException {
        int s = r.statusCode();
        if (s == 206 || (s == 200 && offset == 0)) return r.body();
        if (s == 200) {
            InputStream in = r.body();
            in.skipNBytes(offset);
            return in;
        }
        throw RegistryErrors.of(r, "sync pack for " + repo.familiarName());
    }
}
