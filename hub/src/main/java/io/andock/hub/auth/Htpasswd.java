package io.andock.hub.auth;

import io.andock.AndockException;
import org.mindrot.jbcrypt.BCrypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users from an htpasswd file ({@code htpasswd -B}: bcrypt only, {@code $2a$}, {@code $2b$}, {@code $2y$}; any other
 * scheme is refused when the file is read, not silently accepted or ignored).
 */
public final class Htpasswd {
    private final Map<String, String> users;

    private Htpasswd(Map<String, String> users) {
        this.users = users;
    }

    public static Htpasswd load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw AndockException.invalid("htpasswd " + file + ": " + e.getMessage());
        }
        Map<String, String> users = new LinkedHashMap<>();
        int no = 0;
        for (String line : lines) {
            no++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int c = l.indexOf(':');
            if (c <= 0) throw AndockException.invalid("htpasswd " + file + " line " + no + ": expected USER:HASH");
            String user = l.substring(0, c), hash = l.substring(c + 1);
            if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw AndockException.invalid("htpasswd " + file + " line " + no + ": user " + user + " has no bcrypt hash (make it with htpasswd -B)");
            }
            users.put(user, hash);
        }
        return new Htpasswd(users);
    }

    public static Htpasswd of(Map<String, String> users) {
        return new Htpasswd(Map.copyOf(users));
    }

    public boolean has(String user) {
        return users.containsKey(user);
    }

    /** Checks a password in constant time with respect to which part was wrong (an unknown user costs a bcrypt too). */
    public boolean verify(String user, String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) return false; // bcrypt reads 72 bytes: refuse, don't truncate
        String hash = users.get(user);
        String h = hash == null ? DUMMY : hash;
        // $2y$ and $2b$ are $2a$ without OpenBSD's old bugs, which jBCrypt never had: the same hash
        String a = "$2a$" + h.substring(4);
        boolean ok;
        try {
            String computed = BCrypt.hashpw(password, a);
            ok = MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), a.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        return ok && hash != null;
    }

    private static final String DUMMY = "$2a$10$" + "abcdefghijklmnopqrstuu" + "0123456789012345678901234567890";

    /** A bcrypt hash for tests and the docs ({@code cost} 4–31). */
    public static String hash(String password, int cost) {
        return BCrypt.hashpw(password, BCrypt.gensalt(cost));
    }
}
