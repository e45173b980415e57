package io.andock.os;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A POSIX sh script kept as a resource beside the class that runs it ({@code name.sh}, with a usage header), run as
 * {@code sh -c SCRIPT NAME ARGS…}: nothing is written to disk, and the script reads its arguments as {@code $0}
 * (the name given) and {@code $@}. The header's comment lines are left out of the argv, so {@code ps} shows the
 * code. Loaded once per process.
 */
public final class ShellScript {
    private final String name;
    private final String text;

    private ShellScript(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The resource {@code resource} next to {@code owner}'s class file; INTERNAL when the jar lacks it. */
    public static ShellScript load(Class<?> owner, String resource) {
        try {
            byte[] file = Resources.read(owner, resource);
            if (file == null) throw new AndockException(AndockException.Kind.INTERNAL, resource + " missing from the jar");
            return new ShellScript(resource, withoutHeader(new String(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw AndockException.wrap("read " + resource, e);
        }
    }

    /** The code: the file without its first lines of comments (shebang, usage) and blank lines. */
    static String withoutHeader(String file) {
        String[] lines = file.split("\n", -1);
        int i = 0;
        while (i < lines.length && (lines[i].isBlank() || lines[i].stripLeading().startsWith("#"))) i++;
        return String.join("\n", java.util.Arrays.asList(lines).subList(i, lines.length)).strip();
    }

    /** The script's code, as {@code sh -c} gets it. */
    public String code() {
        return text;
    }

    /** {@code sh -c CODE ZERO ARGS…}: {@code zero} becomes the script's {@code $0}. */
    public List<String> argv(String zero, List<String> args) {
        List<String> out = new ArrayList<>(List.of(HostTools.sh(), "-c", text, zero));
        out.addAll(args);
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
