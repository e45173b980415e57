package io.andock.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test helper: a directory tree as sorted lines "path type detail" (files: content, symlinks: target). */
final class Trees {
    private Trees() {}

    static List<String> list(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).sorted().map(p -> line(root, p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(Path root, Path p) {
        try {
            String rel = root.relativize(p).toString();
            if (Files.isSymbolicLink(p)) return rel + " -> " + Files.readSymbolicLink(p);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return rel + "/";
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return rel + " = " + new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            }
            return rel + " (special)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
