package io.andock.transfer.archive;

import io.andock.AndockException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Named files with random access: a directory, or a tar file indexed once ({@link TarIndex}). */
public interface ArchiveFiles {

    /** The size of a regular file (links resolved), or empty when there is none by that name. */
    Optional<Long> size(String name);

    /** The file's bytes from {@code offset} on. */
    InputStream open(String name, long offset);

    default byte[] read(String name, long max) {
        long size = size(name).orElseThrow(() -> AndockException.invalid("archive has no " + name));
        if (size > max) throw AndockException.invalid(name + " is larger than " + max + " bytes");
        try (InputStream in = open(name, 0)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw AndockException.wrap("read " + name, e);
        }
    }

    /** A directory's files; names are relative paths with '/'. Names escaping the directory are refused. */
    static ArchiveFiles directory(Path dir) {
        return new ArchiveFiles() {
            private Path resolve(String name) {
                Path p = dir.resolve(name).normalize();
                if (!p.startsWith(dir.normalize())) throw AndockException.invalid("path escapes the layout: " + name);
                return p;
            }

            @Override
            public Optional<Long> size(String name) {
                try {
                    Path p = resolve(name);
                    return Files.isRegularFile(p) ? Optional.of(Files.size(p)) : Optional.empty();
                } catch (IOException e) {
                    throw AndockException.wrap("stat " + name, e);
                }
            }

            @Override
            public InputStream open(String name, long offset) {
                try {
                    InputStream in = Files.newInputStream(resolve(name));
                    in.skipNBytes(offset);
                    return in;
                } catch (IOException e) {
                    throw AndockException.wrap("open " + name, e);
                }
            }
        };
    }
}
