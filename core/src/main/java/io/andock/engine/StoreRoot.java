package io.andock.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keeps the store from handing out root. Image snapshots keep their setuid-root binaries, and a container may make
 * one in its {@code upper/} dir; a store others can traverse lets any local user exec them and get euid 0 (why
 * Docker keeps {@code /var/lib/docker} 0710). So:
 * <ul>
 * <li>the root is {@value #ROOT_MODE_TEXT}: the owner only, plus traversal (no listing) for the owner's group, the
 * group the daemon's socket (0660) admits, since the socket may be {@code <root>/andock.sock}. That group already
 * commands the daemon, so traversing gives it nothing more; everyone else gets nothing.</li>
 * <li>its trees {@link #TREES} are 0700, so even that group cannot reach a rootfs, an upper dir, a volume or a
 * blob by path.</li>
 * </ul>
 * Runtimes lose nothing: runc, chroot and the monitor reach the rootfs as root (or as the owner, rootless and
 * proot) and only then drop to the container's user, inside the rootfs.
 *
 * <p>{@link #secure} runs at every start of the engine: one stat of the root when all is well; only a root in
 * another mode (new, or made by an older andock) gets its trees corrected.
 */
public final class StoreRoot {
    static final int ROOT_MODE = 0710, TREE_MODE = 0700;
    private static final String ROOT_MODE_TEXT = "0710";
    static final List<String> TREES = List.of("containers", "snapshots", "volumes", "content");
    private static final Logger LOG = Logger.getLogger("andock.store");

    private StoreRoot() {}

    /** Creates {@code root} if needed and corrects its and its trees' modes; a failure to chmod is only warned of. */
    public static void secure(Path root) {
        try {
            if (mode(root) == ROOT_MODE) return;
            Files.createDirectories(root);
            Files.setAttribute(root, "unix:mode", ROOT_MODE);
            for (String t : TREES) {
                Path p = Files.createDirectories(root.resolve(t)); // a tree the user linked to another disk: its target
                Files.setAttribute(p, "unix:mode", TREE_MODE);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.warning("cannot make the store " + root + " private (" + e + "): other users may reach its files");
        }
    }

    /** The permission bits of {@code p} (links followed: the root may be a symlink), or -1 when it does not exist. */
    static int mode(Path p) throws IOException {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
        } catch (NoSuchFileException e) {
            return -1;
        }
    }
}
