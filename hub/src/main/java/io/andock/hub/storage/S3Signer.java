package io.andock.hub.storage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 for S3, header form: the canonical request (method, path, sorted query, the signed
 * headers, the payload's hash), the string to sign over its hash, and a key derived from the secret, the day, the
 * region and "s3". A pure function of its inputs and the clock, so it is tested against the specification's example
 * values. Signs {@code host} and every {@code x-amz-*} header; {@code UNSIGNED-PAYLOAD} stands for streamed bodies
 * (their integrity is the hub's own digest check).
 */
public final class S3Signer {
    public static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();
    private final String accessKey;
    private final String secretKey;
    private final String region;

    public S3Signer(String accessKey, String secretKey, String region) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /**
     * The headers to add to a request: {@code x-amz-date}, {@code x-amz-content-sha256} and {@code Authorization}.
     * {@code amzHeaders} are the request's other {@code x-amz-*} headers (lower-case names), signed too.
     */
    public Map<String, String> sign(String method, URI uri, Map<String, String> amzHeaders, String payloadHash, ZonedDateTime now) {
        String stamp = now.withZoneSameInstant(ZoneOffset.UTC).format(STAMP);
        String day = stamp.substring(0, 8);
        TreeMap<String, String> headers = new TreeMap<>(amzHeaders);
        headers.put("host", uri.getRawAuthority());
        headers.put("x-amz-content-sha256", payloadHash);
        headers.put("x-amz-date", stamp);
        StringBuilder canonicalHeaders = new StringBuilder();
        for (Map.Entry<String, String> h : headers.entrySet()) canonicalHeaders.append(h.getKey()).append(':').append(h.getValue().trim()).append('\n');
        String signed = String.join(";", headers.keySet());
        String canonical = method + "\n" + (uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + "\n" + canonicalQuery(uri.getRawQuery()) + "\n"
                + canonicalHeaders + "\n" + signed + "\n" + payloadHash;
        String scope = day + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, toSign));
        return Map.of("x-amz-date", stamp, "x-amz-content-sha256", payloadHash,
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + signature);
    }

    /** The query's parameters sorted by name then value; they arrive already URI-encoded the S3 way. */
    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) return "";
        TreeMap<String, java.util.List<String>> params = new TreeMap<>();
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq);
            String v = eq < 0 ? "" : p.substring(eq + 1);
            params.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, java.util.List<String>> e : params.entrySet()) {
            e.getValue().sort(null);
            for (String v : e.getValue()) {
                if (!sb.isEmpty()) sb.append('&');
                sb.append(e.getKey()).append('=').append(v);
            }
        }
        return sb.toString();
    }

    /** Encodes a query value or a key's path the way SigV4 expects: unreserved characters as they are, '/' kept in paths. */
    public static String encode(String s, boolean path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || (path && c == '/')) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16))).append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    public static String sha256Hex(byte[] b) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
