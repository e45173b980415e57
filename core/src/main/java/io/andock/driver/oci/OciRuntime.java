package io.andock.driver.oci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A low-level OCI runtime binary as andock calls it: {@code runc} or {@code crun}, with its state directory
 * ({@code --root}) under the andock root so andock's containers never mix with Docker's or Podman's, and
 * optionally run inside a private mount namespace where the cgroup2 mount of a hybrid layout is unmounted
 * (crun 1.8 refuses "hybrid mode" otherwise).
 *
 * @param name      {@code runc} or {@code crun}
 * @param binary    the executable
 * @param stateRoot its {@code --root}
 * @param hideUnifiedCgroup run it as {@code unshare -m sh -c 'umount /sys/fs/cgroup/unified; exec …'} (root only)
 */
public record OciRuntime(String name, Path binary, Path stateRoot, boolean hideUnifiedCgroup) {

    static final String UNIFIED = "/sys/fs/cgroup/unified";

    public OciRuntime {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(stateRoot, "stateRoot");
    }

    /** The full argv for one runtime command, e.g. {@code argv("state", id)}. */
    public List<String> argv(String... args) {
        List<String> out = new ArrayList<>();
        if (hideUnifiedCgroup) {
            out.addAll(List.of("unshare", "-m", "sh", "-c", "umount " + UNIFIED + " 2>/dev/null; exec \"$0\" \"$@\""));
        }
        out.add(binary.toString());
        out.add("--root");
        out.add(stateRoot.toString());
        out.addAll(List.of(args));
        return out;
    }

    @Override
    public String toString() {
        return name + (hideUnifiedCgroup ? " (in a private mount namespace without " + UNIFIED + ")" : "");
    }
}
