package io.andock.snapshot;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Paths inside a root directory as a process chrooted into it sees them ({@code docker cp}, {@code HEAD archive}),
 * through the same resolver as {@link LayerApplier}: every symlink met on the way, absolute or relative, is followed
 * within the root, {@code ..} stops at the root, and the host never follows a link itself.
 */
public final class ChrootPaths {
    private ChrootPaths() {}

    /**
     * The host path of {@code path} (absolute or relative to {@code /} of {@code root}): its directory resolved
     * inside the root; its last component followed too when {@code followLast} (a symlink there is otherwise the
     * answer itself, as lstat sees it). Null when a directory on the way is missing or not a directory; the last
     * component need not exist.
     *
     * @throws AndockException INVALID_ARGUMENT for a symlink loop
     */
    public static Path locate(Path root, String path, boolean followLast) {
        List<String> comps = Arrays.asList(path.split("/"));
        try {
            return new RootfsResolver(root).locate(comps, path, followLast);
        } catch (IOException e) {
            throw AndockException.wrap("resolve " + path, e);
        } catch (AndockException e) {
            if (e.kind() != AndockException.Kind.CORRUPT) throw e;
            throw AndockException.invalid(path + ": too many levels of symbolic links");
        }
    }

    /** {@code host} (below {@code root}) as the chrooted process names it: {@code /etc/hostname}. */
    public static String inside(Path root, Path host) {
        String r = root.relativize(host).toString();
        return "/" + r;
    }
}
