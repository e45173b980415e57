package io.andock.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): {@code Bearer realm="…",service="…",scope="…"}
 * or {@code Basic realm="…"}. Scheme lowercased, parameter names lowercased, quoted values unescaped.
 */
record Challenge(String scheme, Map<String, String> params) {

    Challenge {
        params = Map.copyOf(params);
    }

    String param(String name) {
        return params.get(name);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    /** All challenges of all given header values, in order; unparseable parts are skipped. */
    static List<Challenge> parseAll(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String v : headerValues) out.addAll(parse(v));
        return out;
    }

    /** The challenges of one header value; a value may hold several ({@code Basic realm="x", Bearer realm="y"}). */
    static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        Lexer in = new Lexer(header);
        String scheme = in.token();
        while (scheme != null) {
            Map<String, String> params = new LinkedHashMap<>();
            String next = null;
            while (true) {
                in.skipSpaceAndCommas();
                int mark = in.i;
                String name = in.token();
                if (name == null) break;
                in.skipSpace();
                if (!in.eat('=')) { next = name; break; }   // a token without '=' starts the next challenge
                in.skipSpace();
                String value = in.peek() == '"' ? in.quoted() : in.tokenOrEmpty();
                params.put(name.toLowerCase(Locale.ROOT), value);
                if (in.i == mark) break;
            }
            out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params));
            scheme = next;
        }
        return out;
    }

    private static final class Lexer {
        final String s;
        int i;

        Lexer(String s) {
            this.s = s == null ? "" : s;
        }

        char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        boolean eat(char c) {
            if (peek() != c) return false;
            i++;
            return true;
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        void skipSpaceAndCommas() {
            while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) i++;
        }

        String token() {
            skipSpaceAndCommas();
            String t = tokenOrEmpty();
            return t.isEmpty() ? null : t;
        }

        String tokenOrEmpty() {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == ',' || c == '=' || c == '"') break;
                i++;
            }
            return s.substring(start, i);
        }

        String quoted() {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c == '\\' && i < s.length()) c = s.charAt(i++);
                b.append(c);
            }
            return b.toString();
        }
    }
}
