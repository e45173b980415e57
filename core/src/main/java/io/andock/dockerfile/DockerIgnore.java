package io.andock.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file: which context paths the build does not see. Rules, as Docker's pattern matcher:
 * one pattern a line, blank lines and lines starting with {@code #} skipped; surrounding blanks trimmed; a leading
 * {@code !} makes an exception (re-includes); each pattern is cleaned like Go's {@code filepath.Clean} and a
 * leading {@code /} dropped (so {@code /a}, {@code ./a} and {@code a} are one pattern); patterns use Go's
 * {@code filepath.Match} syntax plus {@code **}; the last pattern that matches a path decides; a pattern matching
 * a parent directory matches everything below it. Thread safe once built.
 */
public final class DockerIgnore {

    private record Rule(String pattern, Pattern regex, boolean exception) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("#")) continue;
            String p = line.strip();
            if (p.isEmpty()) continue;
            boolean exception = p.startsWith("!");
            if (exception) {
                p = p.substring(1).strip();
                if (p.isEmpty()) throw io.andock.AndockException.invalid(".dockerignore: illegal exclusion pattern: \"!\"");
            }
            p = ContextPaths.clean(p);
            if (p.length() > 1 && p.startsWith("/")) p = p.substring(1);
            rules.add(new Rule(p, GoGlob.compile(p, true), exception));
        }
        return new DockerIgnore(rules);
    }

    /** True when some rule is an exception ({@code !}); excluded directories must then still be walked. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /** Whether the context-relative, {@code /}-separated {@code path} is excluded from the build. */
    public boolean excludes(String path) {
        path = ContextPaths.clean(path);
        if (path.equals(".") || path.equals("/")) return false;
        if (path.startsWith("/")) path = path.substring(1);
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exception() != matched) continue;
            if (matchesSelfOrParent(r, path)) matched = !r.exception();
        }
        return matched;
    }

    private static boolean matchesSelfOrParent(Rule r, String path) {
        if (r.regex().matcher(path).matches()) return true;
        int slash = path.indexOf('/');
        while (slash >= 0) {
            if (r.regex().matcher(path.substring(0, slash)).matches()) return true;
            slash = path.indexOf('/', slash + 1);
        }
        return false;
    }

    public List<String> patterns() {
        return rules.stream().map(r -> (r.exception() ? "!" : "") + r.pattern()).toList();
    }
}
