package io.andock.dockerfile;

import io.andock.AndockException;
import io.andock.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first, syntactic pass over a Dockerfile: parser directives, comments, line continuations, and the split of
 * each instruction into keyword, {@code --flags} and arguments (JSON array, whitespace-separated words, key/value
 * pairs or the raw rest of the line, depending on the keyword). Nothing is substituted here.
 *
 * <p>Rules, as in the Dockerfile frontend: directives ({@code # syntax=}, {@code # escape=}) are only recognised
 * before the first instruction, comment or empty line, each at most once; an unknown directive ends the directive
 * section. A line ending in the escape token (trailing blanks allowed) continues on the next line; comment lines
 * and empty lines inside a continuation are skipped; a whole-line comment is a line whose first non-blank character
 * is {@code #} (a {@code #} elsewhere is ordinary text). Heredocs ({@code <<EOF}) are not supported.
 */
public final class DockerfileParser {

    /** One instruction as written. {@code args} is the split argument list; {@code json} says it came from a JSON array. */
    public record Raw(int line, String keyword, List<String> flags, List<String> args, boolean json, String rest,
                      String original, Raw sub) {
        public Raw {
            flags = List.copyOf(flags);
            args = List.copyOf(args);
        }
    }

    /** The parse result: the escape token and the instructions in order. */
    public record Parsed(char escape, String syntax, List<Raw> instructions) {
        public Parsed {
            instructions = List.copyOf(instructions);
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\u000B\\f\\r ]+");

    private char escape = '\\';
    private Pattern continuation = continuationFor('\\');
    private boolean directivesDone;
    private boolean escapeSeen;
    private String syntax;

    private DockerfileParser() {
    }

    private static Pattern continuationFor(char esc) {
        return Pattern.compile(Pattern.quote(String.valueOf(esc)) + "[ \\t]*$");
    }

    public static AndockException error(int line, String message) {
        return AndockException.invalid("Dockerfile:" + line + ": " + message);
    }

    public static Parsed parse(String text) {
        return new DockerfileParser().run(text);
    }

    private Parsed run(String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String[] lines = text.split("\r?\n", -1);
        List<Raw> out = new ArrayList<>();
        int n = 0;
        while (n < lines.length) {
            String first = stripLeft(lines[n]);
            directive(first, n + 1);
            int start = ++n;
            if (isComment(first)) continue;
            String line = first;
            boolean continued = continuation.matcher(line).find();
            if (continued) line = continuation.matcher(line).replaceAll("");
            else if (line.isEmpty()) continue;
            while (continued && n < lines.length) {
                String next = lines[n++];
                if (isComment(next)) continue;
                if (next.isBlank()) continue;
                Matcher m = continuation.matcher(next);
                continued = m.find();
                line += continued ? m.replaceAll("") : next;
            }
            if (line.isBlank()) continue;
            out.add(instruction(line, start));
        }
        if (out.isEmpty()) throw error(Math.max(1, n), "file with no instructions");
        return new Parsed(escape, syntax, out);
    }

    private static String stripLeft(String s) {
        int k = 0;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) k++;
        return s.substring(k);
    }

    private static boolean isComment(String line) {
        return stripLeft(line).startsWith("#");
    }

    private void directive(String line, int lineNo) {
        if (directivesDone) return;
        Matcher m = DIRECTIVE.matcher(line);
        if (!m.matches()) {
            directivesDone = true;
            return;
        }
        String key = m.group(1).toLowerCase(Locale.ROOT);
        String value = m.group(2);
        switch (key) {
            case "escape" -> {
                if (escapeSeen) throw error(lineNo, "only one escape parser directive can be used");
                escapeSeen = true;
                if (!value.equals("`") && !value.equals("\\")) {
                    throw error(lineNo, "invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
                continuation = continuationFor(escape);
            }
            case "syntax" -> {
                if (syntax != null) throw error(lineNo, "only one syntax parser directive can be used");
                syntax = value;
            }
            default -> directivesDone = true;
        }
    }

    Raw instruction(String line, int lineNo) {
        String trimmed = line.strip();
        String[] kw = WHITESPACE.split(trimmed, 2);
        String keyword = kw[0].toUpperCase(Locale.ROOT);
        List<String> flags = new ArrayList<>();
        String rest = kw.length == 2 ? extractFlags(kw[1], flags).strip() : "";
        List<String> args = new ArrayList<>();
        boolean json = false;
        Raw sub = null;
        switch (keyword) {
            case "ADD", "COPY", "VOLUME" -> {
                List<String> j = json(rest, lineNo);
                json = j != null;
                if (json) args.addAll(j);
                else if (!rest.isEmpty()) args.addAll(List.of(WHITESPACE.split(rest)));
            }
            case "RUN", "CMD", "ENTRYPOINT", "SHELL" -> {
                List<String> j = rest.isEmpty() ? null : json(rest, lineNo);
                json = j != null;
                if (json) args.addAll(j);
                else if (!rest.isEmpty()) args.add(rest);
            }
            case "HEALTHCHECK" -> {
                String[] p = rest.split("\\s+", 2);
                if (!rest.isEmpty()) {
                    args.add(p[0]);
                    String cmd = p.length == 2 ? p[1] : "";
                    List<String> j = cmd.isEmpty() ? null : json(cmd, lineNo);
                    json = j != null;
                    if (json) args.addAll(j);
                    else if (!cmd.isEmpty()) args.add(cmd);
                }
            }
            case "FROM", "EXPOSE" -> {
                if (!rest.isEmpty()) args.addAll(List.of(WHITESPACE.split(rest)));
            }
            case "ENV", "LABEL" -> nameValues(keyword, rest, args, lineNo);
            case "ARG" -> args.addAll(words(rest));
            case "ONBUILD" -> {
                if (!rest.isEmpty()) sub = instruction(rest, lineNo);
            }
            default -> {
                if (!rest.isEmpty()) args.add(rest);
            }
        }
        return new Raw(lineNo, keyword, flags, args, json, rest, trimmed, sub);
    }

    /** A JSON array of strings, or null when {@code rest} is not a JSON array at all. */
    private static List<String> json(String rest, int lineNo) {
        String r = stripLeft(rest);
        if (!r.startsWith("[")) return null;
        Object v;
        try {
            v = Json.parse(r);
        } catch (AndockException e) {
            return null;
        }
        if (!(v instanceof List<?> list)) return null;
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String str)) {
                throw error(lineNo, "when using JSON array syntax, arrays must be comprised of strings only");
            }
            out.add(str);
        }
        return out;
    }

    /** ENV and LABEL: the legacy {@code KEY value with spaces} form, or {@code k=v k2="v 2"} pairs (quotes kept). */
    private void nameValues(String keyword, String rest, List<String> out, int lineNo) {
        List<String> words = words(rest);
        if (words.isEmpty()) return;
        if (!words.get(0).contains("=")) {
            String[] p = WHITESPACE.split(rest, 2);
            if (p.length < 2) throw error(lineNo, keyword + " must have two arguments");
            out.add(p[0]);
            out.add(p[1]);
            return;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw error(lineNo, "Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            out.add(w.substring(0, eq));
            out.add(w.substring(eq + 1));
        }
    }

    /** Whitespace-separated words; quotes and escapes are kept (they are removed later, by substitution). */
    List<String> words(String rest) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        for (int k = 0; k < rest.length(); k++) {
            char c = rest.charAt(k);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == escape && quote != '\'') {
                    if (k + 1 == rest.length()) continue;
                    w.append(c);
                    c = rest.charAt(++k);
                }
                w.append(c);
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (inWord && (blankOk || w.length() > 0)) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                blankOk = false;
                continue;
            }
            inWord = true;
            if (c == '\'' || c == '"') {
                quote = c;
                blankOk = true;
            } else if (c == escape) {
                if (k + 1 == rest.length()) continue;
                w.append(c);
                c = rest.charAt(++k);
            }
            w.append(c);
        }
        if (inWord && (blankOk || w.length() > 0)) words.add(w.toString());
        return words;
    }

    /**
     * Takes the leading {@code --name=value} / {@code --name value}-less flags off an argument string. Flag values
     * have their quotes and backslash escapes removed here. A bare {@code --} ends the flags.
     */
    static String extractFlags(String line, List<String> flags) {
        int k = 0;
        while (true) {
            while (k < line.length() && Character.isWhitespace(line.charAt(k))) k++;
            if (k + 1 >= line.length() || line.charAt(k) != '-' || line.charAt(k + 1) != '-') return line.substring(k);
            StringBuilder w = new StringBuilder();
            char quote = 0;
            for (; k < line.length(); k++) {
                char c = line.charAt(k);
                if (quote == 0 && Character.isWhitespace(c)) break;
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else if (c == '\\' && k + 1 < line.length()) {
                    w.append(line.charAt(++k));
                } else if (c != '\\') {
                    w.append(c);
                }
            }
            if (w.toString().equals("--")) return line.substring(k).stripLeading();
            flags.add(w.toString());
        }
    }
}
