package io.andock.image;

import io.andock.AndockException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A content digest such as {@code sha256:e3b0…}. Only sha256 and sha512 are accepted. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> isHex(hex, 64, 64);
            case "sha512" -> isHex(hex, 128, 128);
            default -> false;
        };
        if (!ok) throw AndockException.invalid("invalid digest " + algorithm + ":" + hex);
    }

    // equals and hashCode written out: a record's generated ones are bootstrapped through method handles on first
    // use (~10-40 ms of a run's start, where the image's digest is a map key)
    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && algorithm.equals(d.algorithm) && hex.equals(d.hex);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + hex.hashCode();
    }

    /**
     * Whether {@code s} is {@code min} to {@code max} lowercase hex digits. By hand, not a regex: ids and digests are
     * checked at every command's start, where each pattern compiled costs the interpreter ~0.3 ms (profiled).
     */
    public static boolean isHex(String s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    public static Digest parse(String s) {
        if (s == null) throw AndockException.invalid("missing digest");
        int c = s.indexOf(':');
        if (c < 0) throw AndockException.invalid("invalid digest \"" + s + "\"");
        return new Digest(s.substring(0, c), s.substring(c + 1));
    }

    public static boolean isDigest(String s) {
        try {
            parse(s);
            return true;
        } catch (AndockException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(sha256Digester().digest(data)));
    }

    public static MessageDigest sha256Digester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newDigester() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Digest of(String algorithm, MessageDigest finished) {
        return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    /** The 12-hex-digit form Docker prints as an image ID. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }
}
