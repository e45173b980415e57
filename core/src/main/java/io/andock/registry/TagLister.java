package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Reference;
import io.andock.json.JsonObject;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /v2/<repo>/tags/list}, following {@code Link: <…>; rel="next"} pages. */
final class TagLister {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 1000;

    private TagLister() {
    }

    static List<String> list(RegistryTransport transport, List<Endpoint> endpoints, Reference repo) {
        List<String> tags = new ArrayList<>();
        String path = "/v2/" + repo.repository() + "/tags/list";
        for (int page = 0; path != null && page < MAX_PAGES; page++) {
            RegistryRequest req = RegistryRequest.get(path, RegistryRequest.pullScope(repo.repository()), Map.of());
            path = call(transport, endpoints, req, repo, r -> {
                if (r.statusCode() != 200) throw RegistryErrors.of(r, "access denied for " + repo.familiarName());
                byte[] body;
                try (InputStream in = r.body()) {
                    body = in.readNBytes(ManifestPuller.MAX_BYTES);
                }
                List<String> got = JsonObject.parse(body).strings("tags");
                if (got != null) tags.addAll(got);
                return r.headers().firstValue("Link").map(TagLister::next).orElse(null);
            });
        }
        return tags;
    }

    private static String call(RegistryTransport transport, List<Endpoint> endpoints, RegistryRequest req,
                               Reference repo, RegistryTransport.Handler<String> handler) {
        try {
            return transport.call(endpoints, req, handler);
        } catch (AndockException e) {
            if (e.getCause() instanceof IdleTimeoutInputStream.ReadTimeout) throw e.withContext("list tags of " + repo.repository());
            throw e;
        }
    }

    private static String next(String link) {
        Matcher m = NEXT.matcher(link);
        if (!m.find()) return null;
        String target = m.group(1);
        int v2 = target.indexOf("/v2/");
        return v2 < 0 ? null : target.substring(v2);
    }
}
