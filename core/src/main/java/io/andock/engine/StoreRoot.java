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
 * <p>{@link #secure} runs at every start of the engine: a stat of the root and of each tree when all is well. The
 * trees are made here, 0700, before anything creates them under the process's umask ({@code tmp} and
 * {@code build-work} used to appear later as 0755); one in another mode (made by an older andock) is corrected.
 */
public final class StoreRoot {
    static final int ROOT_MODE = 0710, TREE_MODE = 0700;
    private static final String ROOT_MODE_TEXT = "0710";
    /** Every directory made directly under the root that holds container files or spools uploads. */
    static final List<String> TREES = List.of("containers", "snapshots", "volumes", "content", "tmp", "build-work", "runtime");

    private StoreRoot() {}

    /** Creates {@code root} if needed and corrects its and its trees' modes; a failure to chmod is only warned of. */
    public static void secure(Path root) {
        try {
            if (mode(root) != ROOT_MODE) {
                Files.createDirectories(root);
                Files.setAttribute(root, "unix:mode", ROOT_MODE);
            }
            for (String t : TREES) { // made here, not later under the process's umask (0755): a stat each when all is well
                Path p = root.resolve(t);
                if (mode(p) == TREE_MODE) continue;
                Files.createDirectories(p); // a tree the user linked to another disk: its target
                Files.setAttribute(p, "unix:mode", TREE_MODE);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // the logger only here: java.util.logging's set-up costs ~15 ms of every command's start
            Logger.getLogger("andock.store").warning("cannot make the store " + root + " private (" + e + "): other users may reach its files");
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
