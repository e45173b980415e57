package io.andock.net;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.os.HostTools;
import io.andock.container.PortBinding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The containers on the shared bridge, whichever andock root they belong to: {@code leases/<container id>/} in
 * the host-wide network directory, one per container whose bridge network is up. A lease holds
 * {@code lease.json} (the owner: the container's directory, with its root in it; the ports it publishes) and
 * everything needed to undo the network without that directory: the CNI DEL configs and {@code down.sh}
 * ({@link Teardown#leaseScript}), which removes the lease last. So a lease outlives a root deleted under a running
 * container, or a container whose monitor was killed, and {@link #sweep} undoes it later.
 *
 * <p>Callers hold the host-wide lock ({@link Networking}) around {@link #create}, {@link #sweep} and
 * {@link #portsInUse}; the container's own teardown runs without it (every step is idempotent).
 */
final class Leases {
    /** Container ids are andock's (64 hex digits); anything else that could name a path is refused. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path dir;

    Leases(Path hostDir) {
        this.dir = hostDir.resolve("leases");
    }

    /** The lease directory of {@code containerId} (not created). */
    Path of(String containerId) {
        if (!ID.matcher(containerId).matches()) throw AndockException.invalid("invalid container id for a network lease: " + containerId);
        return dir.resolve(containerId);
    }

    /** A new lease of {@code containerId} for the container in {@code owner}; a leftover one is undone first. */
    Path create(String containerId, Path owner, List<PortBinding> ports) {
        Path lease = of(containerId);
        release(lease);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Owner", owner.toAbsolutePath().normalize().toString());
        m.put("Ports", ports);
        try {
            Files.createDirectories(lease);
            Path tmp = lease.resolve("lease.json.tmp");
            Files.write(tmp, Json.writeBytes(m));
            Files.move(tmp, lease.resolve("lease.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("record the network lease of " + containerId, e);
        }
        return lease;
    }

    /** The container directory a lease was taken for, or null when the lease is unreadable. */
    static Path owner(Path lease) {
        try {
            return Path.of(JsonObject.parse(Files.readAllBytes(lease.resolve("lease.json"))).string("Owner"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Undoes the leases whose container is over: its directory is gone (the container or its whole root was
     * removed), it exited, or its process is dead (its monitor was killed before the teardown ran). A lease
     * without a readable owner is one whose {@link #create} was cut short: undone too. Returns how many.
     */
    int sweep() {
        int n = 0;
        for (Path lease : list()) {
            Path owner = owner(lease);
            if (owner == null || PortProxyMain.over(owner)) {
                release(lease);
                n++;
            }
        }
        return n;
    }

    /** Ports published by the containers of every lease except {@code self}'s (a container directory). */
    List<PortBinding> portsInUse(Path self) {
        List<PortBinding> out = new ArrayList<>();
        Path me = self.toAbsolutePath().normalize();
        for (Path lease : list()) {
            try {
                JsonObject o = JsonObject.parse(Files.readAllBytes(lease.resolve("lease.json")));
                if (me.toString().equals(o.string("Owner", ""))) continue;
                for (JsonObject p : o.objects("Ports")) out.add(PortBinding.fromJson(p));
            } catch (IOException | RuntimeException e) {
                // being created or removed: not in use yet, or no more
            }
        }
        return out;
    }

    List<Path> list() {
        List<Path> out = new ArrayList<>();
        try (var ds = Files.list(dir)) {
            ds.filter(p -> ID.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (IOException e) {
            // no leases yet
        }
        return out;
    }

    /** Runs the lease's {@code down.sh} (CNI DEL, the namespace, the lease), or deletes a lease that has none. */
    static void release(Path lease) {
        try {
            Path script = lease.resolve("down.sh");
            if (Files.isRegularFile(script)) {
                Process p = new ProcessBuilder(HostTools.sh(), script.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            if (Files.isDirectory(lease)) {
                try (var ds = Files.list(lease)) {
                    for (Path f : (Iterable<Path>) ds::iterator) Files.deleteIfExists(f);
                }
                Files.deleteIfExists(lease);
            }
        } catch (IOException e) {
            throw AndockException.wrap("release the network lease " + lease, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
