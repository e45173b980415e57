package io.andock.container;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's files as {@code docker cp} reaches them from the host: its root filesystem (mounted) and the host
 * directories of its bind mounts and volumes. tmpfs mounts exist only inside the container's mount namespace and
 * are not here: a copy to such a path reaches the directory under the mount, as with Docker.
 *
 * @param rootfs the host directory of the container's {@code /}
 * @param mounts bind mounts and volumes, each with the host directory mounted at its target
 */
public record ContainerFiles(String id, String name, Path rootfs, List<Mount> mounts) {
    /** A directory mounted at {@code target} (absolute, clean) in the container. */
    public record Mount(String target, Path source, boolean readOnly) {}

    public ContainerFiles {
        mounts = List.copyOf(mounts);
    }

    /** The mount that holds the container path {@code clean} (absolute, no {@code .} or {@code ..}), or null. */
    public Mount mountOf(String clean) {
        Mount best = null;
        for (Mount m : mounts) {
            boolean holds = m.target().equals("/") || clean.equals(m.target()) || clean.startsWith(m.target() + "/");
            if (holds && (best == null || m.target().length() > best.target().length())) best = m;
        }
        return best;
    }
}
