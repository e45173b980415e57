package io.andock.driver;

/**
 * What a driver isolates. The proot and chroot drivers share the host's network, pids and ipc; only the oci driver
 * has namespaces and cgroups.
 *
 * @param pidNamespace   the container's processes live in their own pid namespace (its main process is pid 1)
 * @param netNamespace   {@code --network none|bridge} can be honoured; otherwise the network is always the host's
 * @param cgroups        {@code --memory}, {@code --cpus}, {@code --pids-limit} are enforced
 * @param fakeRoot       uid 0 inside is faked (proot {@code -0}); file ownership is not really changed
 * @param rootless       runs without root on the host (user namespace or ptrace)
 * @param readOnlyMounts {@code :ro} binds and read-only roots are enforced (proot cannot)
 */
public record DriverFeatures(boolean pidNamespace, boolean netNamespace, boolean cgroups, boolean fakeRoot,
                             boolean rootless, boolean readOnlyMounts) {

    /** The original five-flag form: read-only mounts enforced. */
    public DriverFeatures(boolean pidNamespace, boolean netNamespace, boolean cgroups, boolean fakeRoot, boolean rootless) {
        this(pidNamespace, netNamespace, cgroups, fakeRoot, rootless, true);
    }
}
