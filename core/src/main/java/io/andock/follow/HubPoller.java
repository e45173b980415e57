package io.andock.follow;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.registry.CredentialStore;
import io.andock.registry.RegistryOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One long poll of a hub: {@code POST /v2/_andock/fleet/poll?wait=S} with the device's report, answered with the
 * followed tags' digests. Plain HTTP(S) request/response, kept alive between polls (one connection per hub). The
 * answer comes from outside: at most {@link #MAX_ANSWER} bytes, every ref one this device follows, every digest
 * well-formed; anything else is refused with one line naming the hub.
 */
final class HubPoller {
    static final int MAX_ANSWER = 1 << 20;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final RegistryOptions options;
    private final CredentialStore credentials;

    HubPoller(RegistryOptions options) {
        this(options, CredentialStore.none());
    }

    /** @param credentials sent as Basic credentials to a hub with sign-in, as pulls from it send them ({@code andock login}) */
    HubPoller(RegistryOptions options, CredentialStore credentials) {
        this.options = options;
        this.credentials = credentials;
    }

    /** {@code http://} for loopback and insecure registries (as pulls from them), {@code https://} otherwise. */
    URI base(String hub) {
        String host = hub.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']'))) : host.replaceFirst(":\\d+$", "");
        boolean loopback = bare.equals("localhost") || bare.endsWith(".localhost") || bare.equals("::1") || bare.startsWith("127.");
        return URI.create((loopback || options.isInsecure(hub) ? "http://" : "https://") + hub);
    }

    /**
     * Sends {@code report} and waits at most {@code wait} (plus a margin for the network) for the answer:
     * {@code repository:tag} → digest, for the followed tags the hub holds.
     */
    Map<String, Digest> poll(String hub, Map<String, Object> report, Set<String> followed, Duration wait) {
        return poll(hub, report, followed, wait, new java.util.concurrent.atomic.AtomicReference<>());
    }

    /** The same, with {@code abort} set meanwhile to what cuts the poll short (the poll then fails as a drop does). */
    Map<String, Digest> poll(String hub, Map<String, Object> report, Set<String> followed, Duration wait,
                             java.util.concurrent.atomic.AtomicReference<Runnable> abort) {
        URI uri = base(hub).resolve("/v2/_andock/fleet/poll?wait=" + wait.toSeconds());
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            HttpURLConnection open = c;
            abort.set(open::disconnect);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) wait.plusSeconds(20).toMillis());
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            credentials.find(hub).ifPresent(cr -> open.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((cr.username() + ":" + cr.password()).getBytes(StandardCharsets.UTF_8))));
            byte[] body = Json.writeBytes(report);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] answer = in == null ? new byte[0] : readBounded(hub, in);
            if (status != 200) throw new AndockException(AndockException.Kind.UNAVAILABLE, "hub " + hub + " answered " + status + ": " + printable(new String(answer, StandardCharsets.UTF_8)));
            return parse(hub, answer, followed);
        } catch (IOException e) {
            if (c != null) c.disconnect();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "hub " + hub + ": " + e.getMessage());
        } finally {
            abort.set(null);
        }
    }

    private static byte[] readBounded(String hub, InputStream in) throws IOException {
        try (in) {
            byte[] b = in.readNBytes(MAX_ANSWER + 1);
            if (b.length > MAX_ANSWER) throw AndockException.invalid("hub " + hub + " sent an answer over " + MAX_ANSWER + " bytes: refused");
            return b;
        }
    }

    static Map<String, Digest> parse(String hub, byte[] answer, Set<String> followed) {
        JsonObject o;
        try {
            o = JsonObject.parse(answer);
        } catch (RuntimeException e) {
            throw AndockException.invalid("hub " + hub + " sent an answer that is not JSON: refused");
        }
        Map<String, Digest> out = new LinkedHashMap<>();
        Map<String, Object> tags;
        try {
            tags = o.has("tags") ? o.object("tags").map() : Map.of();
        } catch (RuntimeException e) {
            throw AndockException.invalid("hub " + hub + " sent tags that are not an object: refused");
        }
        for (Map.Entry<String, Object> t : tags.entrySet()) {
            if (!(t.getValue() instanceof String)) throw AndockException.invalid("hub " + hub + " sent tags that are not strings: refused");
            if (!followed.contains(t.getKey())) throw AndockException.invalid("hub " + hub + " announced " + printable(t.getKey()) + ", which is not followed: refused");
            try {
                out.put(t.getKey(), Digest.parse((String) t.getValue()));
            } catch (RuntimeException e) {
                throw AndockException.invalid("hub " + hub + " announced an invalid digest for " + t.getKey() + ": " + printable((String) t.getValue()) + ": refused");
            }
        }
        return out;
    }

    /** At most 120 characters, control characters escaped: a hub's words in one log line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 120; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) b.append(String.format("\\u%04x", (int) ch));
            else b.append(ch);
        }
        if (s.length() > 120) b.append('…');
        return "\"" + b + "\"";
    }

}
