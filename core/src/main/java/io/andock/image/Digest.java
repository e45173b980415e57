package io.andock.image;

import io.andock.AndockException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:e3b0…}. Only sha256 and sha512 are accepted. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
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
