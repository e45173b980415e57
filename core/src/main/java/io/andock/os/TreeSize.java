package io.andock.os;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The bytes a tree holds as Docker counts them for {@code system df} and prunes: the sizes of its regular files
 * (symlinks not followed), a hardlinked file once. Unreadable parts count as nothing rather than fail a listing.
 */
public final class TreeSize {
    private TreeSize() {}

    public static long of(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return 0;
        long[] total = {0};
        Set<Object> seen = new HashSet<>();
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    if (a.isRegularFile() && (a.fileKey() == null || seen.add(a.fileKey()))) total[0] += a.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }
}
