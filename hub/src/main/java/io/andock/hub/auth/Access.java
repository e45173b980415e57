package io.andock.hub.auth;

import io.andock.hub.HubConfig;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what. Without an {@code auth} section everything is open (a hub on loopback for one user). With one:
 * users from htpasswd, rights per repository-name prefix, anonymous pull on or off, and the hub as its own Docker
 * token server ({@code /token}). Rights: the union of the rules that name the user ({@code "*"}: any signed-in
 * user; {@code "anonymous"}: nobody signed in); with no rules, signed-in users may do everything and anonymous
 * users pull when {@code anonymous-pull} is on.
 */
public final class Access {
    public static final Set<String> ALL = Set.of("pull", "push", "delete");
    private final HubConfig.Auth auth;
    private final Htpasswd users;
    private final Tokens tokens;

    /** Who a request is: a user (null: anonymous), and what a bearer token granted (null: not a token). */
    public record Identity(String user, Map<String, Set<String>> granted, boolean badCredentials) {
        public static final Identity ANONYMOUS = new Identity(null, null, false);
    }

    public Access(HubConfig.Auth auth, Htpasswd users, Tokens tokens) {
        this.auth = auth;
        this.users = users;
        this.tokens = tokens;
    }

    public static Access open() {
        return new Access(null, null, null);
    }

    public boolean enabled() {
        return auth != null;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Reads the Authorization header: a bearer token of ours, or Basic with an htpasswd user. */
    public Identity identify(String authorization) {
        if (authorization == null || authorization.isBlank()) return Identity.ANONYMOUS;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<Tokens.Claims> c = tokens.verify(authorization.substring(7).trim());
            if (c.isEmpty()) return new Identity(null, null, true);
            return new Identity(c.get().subject(), c.get().access(), false);
        }
        Optional<String> user = basicUser(authorization);
        if (user == null) return new Identity(null, null, true);
        return user.map(u -> new Identity(u, null, false)).orElse(Identity.ANONYMOUS);
    }

    /**
     * The user named by Basic credentials: empty for none, null for wrong ones.
     */
    public Optional<String> basicUser(String authorization) {
        if (authorization == null || authorization.isBlank()) return Optional.empty();
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String dec;
        try {
            dec = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int c = dec.indexOf(':');
        if (c < 0 || users == null) return null;
        String u = dec.substring(0, c);
        return users.verify(u, dec.substring(c + 1)) ? Optional.of(u) : null;
    }

    /** The actions {@code user} (null: anonymous) has on repository {@code name}. */
    public Set<String> rights(String user, String name) {
        if (auth == null) return ALL;
        List<HubConfig.Rule> rules = auth.rules();
        Set<String> out = new HashSet<>();
        if (rules.isEmpty()) {
            if (user != null) return ALL;
            if (auth.anonymousPull()) out.add("pull");
            return out;
        }
        if (user == null && auth.anonymousPull()) out.add("pull");
        for (HubConfig.Rule r : rules) {
            boolean applies = user == null ? r.users().contains("anonymous") : r.users().contains(user) || r.users().contains("*");
            if (!applies || !prefixMatches(r.prefix(), name)) continue;
            for (String a : r.actions()) {
                if (a.equals("*")) out.addAll(ALL);
                else out.add(a);
            }
        }
        return out;
    }

    private static boolean prefixMatches(String prefix, String name) {
        if (prefix.isEmpty() || prefix.equals("*")) return true;
        if (prefix.endsWith("/")) return name.startsWith(prefix);
        return name.equals(prefix) || name.startsWith(prefix + "/");
    }

    /** May this identity do {@code action} on {@code name}? */
    public boolean allowed(Identity id, String name, String action) {
        if (auth == null) return true;
        if (id.granted() != null) {
            Set<String> g = id.granted().get(name);
            return g != null && (g.contains(action) || g.contains("*"));
        }
        return rights(id.user(), name).contains(action);
    }

    /** The token endpoint's answer to a scope list: what was asked, cut down to what the user has. */
    public Map<String, Set<String>> grant(String user, List<String> scopes) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String scope : scopes) {
            for (String s : scope.split(" ")) {
                // repository:NAME:ACTIONS (NAME may contain ':' only before a port, never here)
                if (!s.startsWith("repository:")) continue;
                int last = s.lastIndexOf(':');
                if (last <= 11) continue;
                String name = s.substring(11, last);
                Set<String> have = rights(user, name);
                Set<String> got = out.computeIfAbsent(name, k -> new HashSet<>());
                for (String a : s.substring(last + 1).split(",")) {
                    if (a.equals("*")) got.addAll(have);
                    else if (have.contains(a)) got.add(a);
                }
            }
        }
        out.values().removeIf(Set::isEmpty);
        return out;
    }
}
