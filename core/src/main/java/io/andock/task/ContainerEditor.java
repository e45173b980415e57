package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.container.Link;
import io.andock.container.Resources;
import io.andock.container.StoreNames;
import io.andock.container.RestartPolicy;
import io.andock.driver.Drivers;

import java.util.ArrayList;
import java.util.List;

/**
 * What changes in a container after create: its name ({@code docker rename}), its restart policy and resource
 * limits ({@code docker update}). The record is replaced atomically under the store's lock; a running container of
 * a driver with cgroups gets its new limits at once ({@code runc update}), others at their next start.
 */
public final class ContainerEditor {
    /** {@code docker update}'s changes; a null field is left as it is. */
    public record Update(RestartPolicy restartPolicy, Long memoryBytes, Long nanoCpus, Long pidsLimit) {
        public boolean changesResources() {
            return memoryBytes != null || nanoCpus != null || pidsLimit != null;
        }
    }

    private final ContainerStore store;
    private final Drivers drivers;

    ContainerEditor(ContainerStore store, Drivers drivers) {
        this.store = store;
        this.drivers = drivers;
    }

    /** Renames {@code ref} to {@code newName}; returns the container's id. */
    public String rename(String ref, String newName) {
        String id = store.resolve(ref);
        store.rename(id, newName);
        return id;
    }

    /**
     * Removes the legacy link {@code /PARENT/ALIAS} from PARENT's record (what {@code inspect} and a later
     * container see); the running container keeps its hosts line and variables, as with dockerd.
     */
    public void removeLink(String link) {
        String p = link.startsWith("/") ? link.substring(1) : link;
        int slash = p.lastIndexOf('/');
        if (slash <= 0) throw AndockException.conflict("Conflict, cannot remove the default link name of the container");
        String parent = p.substring(0, slash), alias = p.substring(slash + 1);
        String id = store.resolve(parent);
        ContainerRecord r = store.record(id);
        List<String> kept = r.spec().links().stream().filter(l -> !Link.parse(l).alias().equals(alias)).toList();
        if (kept.size() == r.spec().links().size()) {
            throw AndockException.notFound("Could not find container link " + StoreNames.printable(link));
        }
        store.updateSpec(id, s -> s.toBuilder().links(kept).build());
    }

    /** Applies {@code u} to {@code ref}; returns Docker's warnings (limits a driver cannot enforce). */
    public List<String> update(String ref, Update u) {
        String id = store.resolve(ref);
        ContainerRecord before = store.record(id);
        if (u.restartPolicy() != null && before.spec().autoRemove() && !u.restartPolicy().name().equals("no")) {
            throw AndockException.invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
        }
        Resources old = before.spec().resources();
        Resources res = new Resources(pick(u.memoryBytes(), old.memoryBytes()), pick(u.nanoCpus(), old.nanoCpus()),
                pick(u.pidsLimit(), old.pidsLimit()));
        check(res);
        ContainerRecord after = store.updateSpec(id, s -> {
            var b = s.toBuilder().resources(res);
            if (u.restartPolicy() != null) b.restartPolicy(u.restartPolicy());
            return b.build();
        });
        List<String> warnings = new ArrayList<>();
        if (!u.changesResources()) return warnings;
        var driver = drivers.get(after.driver());
        if (!driver.features().cgroups()) {
            warnings.add("the " + driver.name() + " driver has no cgroups: resource limits are recorded but not enforced");
            return warnings;
        }
        ContainerState s = store.state(id);
        driver.updateResources(store.dir(id).bundle(), id, res, s.running());
        return warnings;
    }

    private static long pick(Long given, long old) {
        return given == null ? old : given;
    }

    /** Docker's bounds (daemon/update.go and the create checks): refused before anything is written. */
    private static void check(Resources r) {
        if (r.memoryBytes() < 0) throw AndockException.invalid("invalid memory limit: must not be negative");
        if (r.memoryBytes() > 0 && r.memoryBytes() < 6L << 20) {
            throw AndockException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (r.nanoCpus() < 0) throw AndockException.invalid("Range of CPUs is from 0.01 to " + Runtime.getRuntime().availableProcessors() + ".00, as there are only " + Runtime.getRuntime().availableProcessors() + " CPUs available");
        if (r.nanoCpus() > 0 && (r.nanoCpus() < 10_000_000L || r.nanoCpus() > Runtime.getRuntime().availableProcessors() * 1_000_000_000L)) {
            int n = Runtime.getRuntime().availableProcessors();
            throw AndockException.invalid("Range of CPUs is from 0.01 to " + n + ".00, as there are only " + n + " CPUs available");
        }
    }
}
