package io.andock.hub.auth;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hub's bearer tokens: {@code base64url(claims).base64url(HMAC-SHA256)}, claims {@code {"sub","access","exp"}}.
 * Clients never look inside (Docker's token protocol treats tokens as opaque), so no JWT library is needed. The key
 * lives in {@code <root>/token.key} (0600), so a restart or a second hub on the same root honours them.
 */
public final class Tokens {
    public static final long LIFETIME_SECONDS = 900;
    private final byte[] key;

    /** Granted access: repository name → actions. */
    public record Claims(String subject, Map<String, Set<String>> access, long expires) {}

    private Tokens(byte[] key) {
        this.key = key;
    }

    public static Tokens open(Path root) {
        Path f = root.resolve("token.key");
        try {
            try {
                byte[] k = Files.readAllBytes(f);
                if (k.length >= 32) return new Tokens(k);
            } catch (NoSuchFileException e) {
                // made below
            }
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Path tmp = root.resolve("token.key.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, k, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, f); // no replace: a second hub that won the race keeps its key
            } catch (java.nio.file.FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                return new Tokens(Files.readAllBytes(f));
            }
            return new Tokens(k);
        } catch (IOException e) {
            throw AndockException.wrap("token key " + f, e);
        }
    }

    public String issue(String subject, Map<String, Set<String>> access) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", subject == null ? "" : subject);
        List<Object> acc = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : access.entrySet()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", e.getKey());
            a.put("actions", new ArrayList<>(new TreeSet<>(e.getValue())));
            acc.add(a);
        }
        c.put("access", acc);
        c.put("exp", Instant.now().getEpochSecond() + LIFETIME_SECONDS);
        String payload = b64(Json.writeBytes(c));
        return payload + "." + b64(mac(payload));
    }

    public Optional<Claims> verify(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 64 * 1024) return Optional.empty();
        String payload = token.substring(0, dot);
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sig, mac(payload))) return Optional.empty();
        try {
            JsonObject c = JsonObject.of(Json.parse(Base64.getUrlDecoder().decode(payload)));
            long exp = c.number("exp", 0);
            if (exp < Instant.now().getEpochSecond()) return Optional.empty();
            Map<String, Set<String>> access = new LinkedHashMap<>();
            for (JsonObject a : c.objects("access")) access.put(a.string("name"), Set.copyOf(a.strings("actions")));
            String sub = c.string("sub", "");
            return Optional.of(new Claims(sub.isEmpty() ? null : sub, access, exp));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
