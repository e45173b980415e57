package io.andock.driver.oci;

import io.andock.AndockException;

import java.util.List;
import java.util.Objects;

/**
 * The {@code docker run} flags that shape a spec's Linux parts (see {@link LinuxSpec}), plus two facts about the
 * host the caller decides: whether cgroups are usable ({@link OciDriver#features()}) and which id mappings a
 * rootless container gets ({@link Rootless#mappings}).
 *
 * @param capAdd       {@code --cap-add}, names as the user typed them
 * @param capDrop      {@code --cap-drop}
 * @param privileged   {@code --privileged}: every capability, no seccomp, no masked paths, every device
 * @param seccomp      false for {@code --security-opt seccomp=unconfined}
 * @param memoryBytes  {@code --memory}; 0 = no limit
 * @param nanoCpus     {@code --cpus} × 10⁹; 0 = no limit
 * @param pidsLimit    {@code --pids-limit}; 0 or less = no limit
 * @param network      {@code --network}
 * @param uidMappings  empty = no user namespace (rootful); else the user namespace's uid map
 * @param gidMappings  the gid map, given exactly when uidMappings is
 * @param cgroups      write {@code linux.resources} limits and {@code cgroupsPath}; false when cgroups are unusable
 * @param cgroupParent the cgroupfs parent of every container ({@code /andock}, like Docker's {@code /docker})
 */
public record LinuxOptions(List<String> capAdd, List<String> capDrop, boolean privileged, boolean seccomp,
                           long memoryBytes, long nanoCpus, long pidsLimit, Network network,
                           List<IdMapping> uidMappings, List<IdMapping> gidMappings, boolean cgroups,
                           String cgroupParent) {

    public static final String DEFAULT_CGROUP_PARENT = "/andock";

    public LinuxOptions {
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        uidMappings = List.copyOf(uidMappings);
        gidMappings = List.copyOf(gidMappings);
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        if (uidMappings.isEmpty() != gidMappings.isEmpty()) throw AndockException.invalid("uid and gid mappings go together");
        if (memoryBytes < 0) throw AndockException.invalid("--memory must not be negative");
        if (memoryBytes > 0 && memoryBytes < 6L << 20) throw AndockException.invalid("minimum memory limit allowed is 6MB");
        if (nanoCpus < 0) throw AndockException.invalid("--cpus must not be negative");
        if (nanoCpus > 0 && nanoCpus < 10_000_000L) throw AndockException.invalid("--cpus must be at least 0.01");
        Capabilities.normalize(capAdd);   // fail early on unknown names
        Capabilities.normalize(capDrop);
    }

    /** Docker's defaults: default capabilities, default seccomp profile, no limits, its own empty network, rootful. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when the container gets a user namespace (rootless). */
    public boolean userNamespace() {
        return !uidMappings.isEmpty();
    }

    public static final class Builder {
        private List<String> capAdd = List.of(), capDrop = List.of();
        private boolean privileged, seccomp = true, cgroups = true;
        private long memoryBytes, nanoCpus, pidsLimit;
        private Network network = Network.none();
        private List<IdMapping> uids = List.of(), gids = List.of();
        private String cgroupParent = DEFAULT_CGROUP_PARENT;

        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder seccomp(boolean v) { seccomp = v; return this; }
        public Builder memoryBytes(long v) { memoryBytes = v; return this; }
        public Builder nanoCpus(long v) { nanoCpus = v; return this; }
        public Builder pidsLimit(long v) { pidsLimit = v; return this; }
        public Builder network(Network v) { network = v; return this; }
        public Builder idMappings(List<IdMapping> uid, List<IdMapping> gid) { uids = uid; gids = gid; return this; }
        public Builder cgroups(boolean v) { cgroups = v; return this; }
        public Builder cgroupParent(String v) { cgroupParent = v; return this; }

        public LinuxOptions build() {
            return new LinuxOptions(capAdd, capDrop, privileged, seccomp, memoryBytes, nanoCpus, pidsLimit, network,
                    uids, gids, cgroups, cgroupParent);
        }
    }
}
