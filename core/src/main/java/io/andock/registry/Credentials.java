package io.andock.registry;

import io.andock.AndockException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user name and password (or personal access token). {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || username.isEmpty()) throw AndockException.invalid("empty user name");
        if (username.contains(":")) throw AndockException.invalid("user name must not contain ':'");
        if (password == null || password.isEmpty()) throw AndockException.invalid("empty password");
    }

    /** {@code base64(user:password)}, the {@code auth} field of Docker's config and the Basic credentials. */
    public String encoded() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes an {@code auth} field. */
    public static Credentials decode(String auth) {
        String plain;
        try {
            plain = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AndockException.invalid("invalid auth entry: not base64");
        }
        int colon = plain.indexOf(':');
        if (colon <= 0) throw AndockException.invalid("invalid auth entry: expected user:password");
        return new Credentials(plain.substring(0, colon), plain.substring(colon + 1));
    }

    String basicHeader() {
        return "Basic " + encoded();
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
