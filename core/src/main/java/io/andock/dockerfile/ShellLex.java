package io.andock.dockerfile;

import io.andock.AndockException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Variable substitution and quote removal in Dockerfile words, with the rules of the Dockerfile frontend's shell
 * lexer (a small subset of POSIX sh word expansion):
 * <ul>
 *   <li>{@code $NAME} and {@code ${NAME}}; an unset variable expands to the empty string;</li>
 *   <li>{@code ${NAME:-word}} / {@code ${NAME-word}}: word when unset (or, with the colon, empty);
 *       {@code ${NAME:+word}} / {@code ${NAME+word}}: word when set (and, with the colon, not empty);
 *       {@code ${NAME:?msg}} / {@code ${NAME?msg}}: an error when unset (or empty); word is itself expanded;</li>
 *   <li>single quotes keep everything literally; double quotes keep everything but {@code $}, and the escape token
 *       there only escapes {@code "}, {@code $} and itself;</li>
 *   <li>outside quotes the escape token (backslash, or backtick after {@code # escape=`}) makes the next character
 *       literal;</li>
 *   <li>{@code $} not followed by a name stays a literal {@code $}.</li>
 * </ul>
 * The pattern modifiers {@code ${V#p}}, {@code ${V%p}} and {@code ${V/p/r}} are refused as unsupported.
 * Not thread safe: one instance per call is cheap.
 */
public final class ShellLex {

    /** The expansion of one word: as a single string, and as split into fields on unquoted whitespace. */
    public record Result(String word, List<String> words, Set<String> used) {
        public Result {
            words = List.copyOf(words);
            used = Collections.unmodifiableSet(new LinkedHashSet<>(used));
        }
    }

    private final char escape;
    private String s;
    private int i;
    private Map<String, String> env;
    private Set<String> used;

    public ShellLex(char escape) {
        this.escape = escape;
    }

    /** Expands one word: quotes removed, variables substituted from {@code env}. */
    public String word(String text, Map<String, String> env) {
        return process(text, env).word();
    }

    public Result process(String text, Map<String, String> env) {
        this.s = text;
        this.i = 0;
        this.env = env;
        this.used = new LinkedHashSet<>();
        Fields fields = new Fields();
        String out;
        try {
            out = until((char) 0, fields);
        } catch (AndockException e) {
            throw AndockException.invalid("failed to process \"" + text + "\": " + e.getMessage());
        }
        return new Result(out, fields.done(), used);
    }

    private boolean more() {
        return i < s.length();
    }

    /** Reads up to {@code stop} (consumed) or to the end when {@code stop} is 0. */
    private String until(char stop, Fields fields) {
        StringBuilder out = new StringBuilder();
        while (more()) {
            char c = s.charAt(i);
            if (stop != 0 && c == stop) {
                i++;
                return out.toString();
            }
            if (c == '$') {
                String v = dollar();
                out.append(v);
                fields.addSplitting(v);
            } else if (c == '\'') {
                String v = singleQuoted();
                out.append(v);
                fields.addRaw(v);
            } else if (c == '"') {
                String v = doubleQuoted();
                out.append(v);
                fields.addRaw(v);
            } else {
                i++;
                if (c == escape) {
                    if (!more()) break;
                    c = s.charAt(i++);
                    fields.addRaw(String.valueOf(c));
                } else {
                    fields.add(c);
                }
                out.append(c);
            }
        }
        if (stop != 0) throw AndockException.invalid("unexpected end of statement while looking for matching " + stop);
        return out.toString();
    }

    private String singleQuoted() {
        int end = s.indexOf('\'', i + 1);
        if (end < 0) throw AndockException.invalid("unexpected end of statement while looking for matching single-quote");
        String v = s.substring(i + 1, end);
        i = end + 1;
        return v;
    }

    private String doubleQuoted() {
        StringBuilder out = new StringBuilder();
        i++;
        while (true) {
            if (!more()) throw AndockException.invalid("unexpected end of statement while looking for matching double-quote");
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return out.toString();
            }
            if (c == '$') {
                out.append(dollar());
                continue;
            }
            i++;
            if (c == escape && more()) {
                char n = s.charAt(i);
                if (n == '"' || n == '$' || n == escape) {
                    c = n;
                    i++;
                }
            } else if (c == escape) {
                continue;
            }
            out.append(c);
        }
    }

    private String dollar() {
        i++;
        if (!more() || s.charAt(i) != '{') {
            String name = name();
            if (name.isEmpty()) return "$";
            return lookup(name, "");
        }
        i++;
        if (!more()) throw AndockException.invalid("syntax error: missing '}'");
        char first = s.charAt(i);
        if (first == '{' || first == '}' || first == ':') throw AndockException.invalid("syntax error: bad substitution");
        String name = name();
        if (!more()) throw AndockException.invalid("syntax error: missing '}'");
        char op = s.charAt(i++);
        if (op == '}') return lookup(name, "");
        boolean colon = false;
        if (op == ':') {
            colon = true;
            if (!more()) throw AndockException.invalid("syntax error: missing '}'");
            op = s.charAt(i++);
        }
        if (op != '-' && op != '+' && op != '?') {
            throw AndockException.invalid("unsupported modifier (" + (colon ? ":" : "") + op + ") in substitution");
        }
        String word;
        try {
            word = until('}', new Fields());
        } catch (AndockException e) {
            if (!more()) throw AndockException.invalid("syntax error: missing '}'");
            throw e;
        }
        boolean set = env.containsKey(name);
        String value = set ? env.get(name) : "";
        used.add(name);
        boolean absent = !set || (colon && value.isEmpty());
        return switch (op) {
            case '-' -> absent ? word : value;
            case '+' -> absent ? "" : word;
            default -> {
                if (!absent) yield value;
                String why = word.isEmpty() ? (set ? "is not allowed to be empty" : "is not allowed to be unset") : word;
                throw AndockException.invalid(name + ": " + why);
            }
        };
    }

    private String lookup(String name, String dflt) {
        used.add(name);
        String v = env.get(name);
        return v == null ? dflt : v;
    }

    /** A variable name: letters, digits and underscores; or a run of digits; or one special parameter. */
    private String name() {
        int start = i;
        if (more() && Character.isDigit(s.charAt(i))) {
            while (more() && Character.isDigit(s.charAt(i))) i++;
            return s.substring(start, i);
        }
        if (more() && "@*#?-$!0".indexOf(s.charAt(i)) >= 0) {
            i++;
            return s.substring(start, i);
        }
        while (more() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        return s.substring(start, i);
    }

    /** Field splitting: unquoted whitespace (including whitespace from expansions) separates words. */
    private static final class Fields {
        private final List<String> words = new ArrayList<>();
        private final StringBuilder cur = new StringBuilder();
        private boolean inWord;

        void add(char c) {
            if (Character.isWhitespace(c)) {
                if (inWord && cur.length() > 0) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }

        void addSplitting(String v) {
            for (int k = 0; k < v.length(); k++) add(v.charAt(k));
        }

        void addRaw(String v) {
            cur.append(v);
            inWord = true;
        }

        List<String> done() {
            if (cur.length() > 0) words.add(cur.toString());
            cur.setLength(0);
            return words;
        }
    }
}
