package io.andock.driver.oci;

import io.andock.container.ContainerDir;
import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.container.ContainerSpec;
import io.andock.driver.Driver;
import io.andock.driver.DriverFeatures;
import io.andock.container.Resources;
import io.andock.container.SecurityOptions;
import io.andock.os.ProcessTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code oci} driver: hands the bundle to runc or crun, as Docker (through containerd) does.
 *
 * <ul>
 * <li>run: {@code runc run --bundle B ID} in the foreground; it exits with the container's status (128+n after
 *     signal n), forwards signals to it, and with {@code process.terminal} makes and proxies the pty itself.
 * <li>exec: {@code runc exec --process FILE ID}; FILE is the given process over the container's capabilities,
 *     no-new-privileges and rlimits, written to {@code B/exec/} and removed by {@link #delete}.
 * <li>kill: {@code runc kill [--all] ID SIG}; delete: {@code runc delete --force ID}.
 * </ul>
 * The runtime's state ({@code --root}) lives under the andock root; see {@link RuntimeProbe}. Container ids
 * must be unique per state root and be deleted before they are reused.
 */
public final class OciDriver implements Driver {

    private static final long TIMEOUT_S = 30;

    private final OciRuntime runtime;
    private final boolean cgroups;
    private final boolean rootless;
    private final Rootless.Mappings mappings;

    /**
     * @param cgroups  whether limits can be applied (the probe's verdict)
     * @param mappings the user namespace's maps when running without root ({@link Rootless#forCurrentUser()}), or null
     */
    public OciDriver(OciRuntime runtime, boolean cgroups, Rootless.Mappings mappings) {
        this.runtime = runtime;
        this.cgroups = cgroups;
        this.rootless = mappings != null;
        this.mappings = mappings;
    }

    /** The driver for this machine and user, with the runtime {@link RuntimeProbe} picks (cached per boot). */
    public static OciDriver detect(Path andockRoot) {
        RuntimeProbe.Choice c = RuntimeProbe.choose(andockRoot);
        return new OciDriver(c.runtime(), c.cgroups(), Rootless.isRoot() ? null : Rootless.forCurrentUser());
    }

    @Override
    public boolean makesTerminal() {
        return true;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    @Override
    public String name() {
        return "oci";
    }

    /** Pid and network namespaces always; cgroups when the probe could apply a limit; rootless when not root. */
    @Override
    public DriverFeatures features() {
        return new DriverFeatures(true, true, cgroups, false, rootless);
    }

    /** The options the spec's Linux parts should be made with here: no cgroups when unusable, mappings when rootless. */
    public LinuxOptions.Builder linuxOptions() {
        LinuxOptions.Builder b = LinuxOptions.builder().cgroups(cgroups);
        if (rootless) b.idMappings(mappings.uids(), mappings.gids());
        return b;
    }

    /**
     * Docker's Linux parts for {@code request} ({@link LinuxSpec#apply}): capabilities, seccomp, masked paths,
     * cgroup limits under {@code /andock/<id>} (the id from the spec's {@link #CONTAINER_ID_ANNOTATION}; without
     * it the runtime's default {@code /<id>}; none at all, limits discarded, when {@link #features()} says no
     * cgroups: the engine warns, as Docker does), id mappings when rootless, rlimits no higher than this process
     * may set ({@link Rlimits}). The network is the spec's: no
     * namespace (host), a fresh one (none; bridge until CNI wiring exists), or a joined path.
     */
    @Override
    public Map<String, Object> adaptSpec(Map<String, Object> spec, ContainerSpec request) {
        SecurityOptions sec = request.security();
        Resources res = request.resources();
        LinuxOptions o = linuxOptions().capAdd(sec.capAdd()).capDrop(sec.capDrop()).privileged(sec.privileged())
                .seccomp(sec.seccomp()).memoryBytes(res.memoryBytes()).nanoCpus(res.nanoCpus())
                .pidsLimit(res.pidsLimit()).network(LinuxSpec.network(spec)).build();
        Map<String, Object> out = LinuxSpec.apply(spec, containerId(spec), o);
        if (out.get("process") instanceof Map<?, ?> p && p.get("rlimits") instanceof List<?> l) {
            @SuppressWarnings("unchecked") Map<String, Object> process = (Map<String, Object>) p;
            process.put("rlimits", Rlimits.forHost(l));
        }
        return out;
    }

    /** The annotation the engine may put in a spec to name its container (for the cgroup path). */
    public static final String CONTAINER_ID_ANNOTATION = "io.andock.container.id";

    private static String containerId(Map<String, Object> spec) {
        return spec.get("annotations") instanceof Map<?, ?> a && a.get(CONTAINER_ID_ANNOTATION) instanceof String id
                && !id.isEmpty() ? id : null;
    }

    /**
     * {@code runc run} creates the container (its state in {@code <state root>/<id>/}: runc's {@code state.json},
     * crun's {@code status}) and then starts it, which removes the {@code exec.fifo} its init waits on: only then
     * does {@code runc exec} find a running container.
     */
    @Override
    public void awaitRunning(Path bundle, String containerId, long mainPid, long deadlineNanos) {
        Path state = runtime.stateRoot().resolve(containerId);
        io.andock.os.ProcessTable.await(mainPid, deadlineNanos, () ->
                (java.nio.file.Files.exists(state.resolve("state.json")) || java.nio.file.Files.exists(state.resolve("status")))
                        && !java.nio.file.Files.exists(state.resolve("exec.fifo")));
    }

    @Override
    public List<String> runCommand(Path bundle, String containerId) {
        return runtime.argv("run", "--bundle", bundle.toString(), containerId);
    }

    @Override
    public List<String> execCommand(Path bundle, String containerId, long mainPid, Map<String, Object> process) {
        Map<String, Object> p = execProcess(bundle, process);
        try {
            Path dir = Files.createDirectories(bundle.resolve("exec"));
            Path file = dir.resolve(UUID.randomUUID() + ".json");
            Files.write(file, Json.writeBytes(p));
            return runtime.argv("exec", "--process", file.toString(), containerId);
        } catch (IOException e) {
            throw AndockException.wrap("exec in " + containerId + ": write process", e);
        }
    }

    /** {@code process} over the bundle's capabilities, noNewPrivileges, rlimits and apparmor profile. */
    static Map<String, Object> execProcess(Path bundle, Map<String, Object> process) {
        Map<String, Object> p = new LinkedHashMap<>();
        try {
            Object base = Json.parseObject(Files.readAllBytes(ContainerDir.bundleSpec(bundle))).get("process");
            if (base instanceof Map<?, ?> b) {
                for (String k : List.of("capabilities", "noNewPrivileges", "rlimits", "apparmorProfile", "selinuxLabel")) {
                    if (b.get(k) != null) p.put(k, b.get(k));
                }
            }
        } catch (IOException e) {
            throw AndockException.wrap("exec: read " + ContainerDir.bundleSpec(bundle), e);
        }
        p.putAll(process);
        p.putIfAbsent("cwd", "/");
        p.putIfAbsent("user", Map.of("uid", 0, "gid", 0));
        return p;
    }

    /**
     * {@code runc kill}. {@code mainPid} is {@code runc run}'s: right after start the container may not exist yet,
     * or be only created (its init waiting to exec the process). A signal then either fails or kills the init, and
     * {@code runc run} fails with status 1 instead of ending with 128+n; so while {@code runc run} lives, the kill
     * waits up to 5 s for the container to be running.
     */
    @Override
    public void kill(Path bundle, String containerId, long mainPid, int signal, boolean all) {
        awaitStarted(containerId, mainPid);
        List<String> args = new ArrayList<>(List.of("kill"));
        if (all) args.add("--all");
        args.add(containerId);
        args.add(Integer.toString(signal));
        Processes.Result r = Processes.run(runtime.argv(args.toArray(String[]::new)), TIMEOUT_S);
        if (r.ok()) return;
        String err = r.error();
        String ctx = "kill " + containerId;
        if (notFound(err)) throw AndockException.notFound(ctx + ": " + err);
        if (notRunning(err)) throw AndockException.conflict(ctx + ": " + err);
        throw new AndockException(AndockException.Kind.UNAVAILABLE, ctx + ": " + runtime.name() + ": " + err);
    }

    private void awaitStarted(String containerId, long runPid) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (runPid > 0 && io.andock.os.ProcessTable.alive(runPid) && System.nanoTime() < deadline) {
            Processes.Result r = Processes.run(runtime.argv("state", containerId), TIMEOUT_S);
            if (r.ok()) {
                String status = OciState.parse(r.stdout()).status();
                if (!status.equals("creating") && !status.equals("created")) return;
            } else if (!notFound(r.error())) {
                return; // the kill reports it
            }
            sleep(10);
        }
    }

    private static boolean notFound(String err) {
        return err.contains("does not exist") || err.contains("not found");
    }

    private static boolean notRunning(String err) {
        return err.contains("not running") || err.contains("stopped");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted");
        }
    }

    /** {@code runc pause|resume}: the cgroup freezer (needs cgroups the runtime manages). */
    @Override
    public void pause(Path bundle, String containerId, long mainPid, boolean frozen) {
        Processes.Result r = Processes.run(runtime.argv(frozen ? "pause" : "resume", containerId), TIMEOUT_S);
        // right after start (docker run -d, then docker cp or pause at once) the monitor runs but the runtime may not
        // have made the container yet: wait for it, as long as the monitor lives, rather than answer "does not exist"
        long deadline = System.nanoTime() + CREATE_WAIT_NANOS;
        while (!r.ok() && notFound(r.error()) && mainPid > 0 && ProcessTable.alive(mainPid) && System.nanoTime() < deadline) {
            sleepBriefly();
            r = Processes.run(runtime.argv(frozen ? "pause" : "resume", containerId), TIMEOUT_S);
        }
        if (r.ok()) return;
        String ctx = (frozen ? "pause " : "unpause ") + containerId;
        if (notFound(r.error())) throw AndockException.notFound(ctx + ": " + r.error());
        if (notRunning(r.error())) throw AndockException.conflict(ctx + ": " + r.error());
        throw new AndockException(cgroups ? AndockException.Kind.UNAVAILABLE : AndockException.Kind.UNSUPPORTED,
                ctx + ": " + runtime.name() + ": " + r.error() + (cgroups ? "" : " (pausing needs cgroups, which this host does not give andock)"));
    }

    /** {@code runc update}: the new limits on the live cgroup (no limit is -1 for memory and pids, 0 quota for cpu). */
    @Override
    public void updateResources(Path bundle, String containerId, Resources r, boolean running) {
        rewriteLimits(bundle, r);
        if (!running) return;
        List<String> args = new ArrayList<>(List.of("update",
                "--memory", Long.toString(r.memoryBytes() > 0 ? r.memoryBytes() : -1),
                "--cpu-period", Long.toString(LinuxSpec.CPU_PERIOD_US),
                "--cpu-quota", Long.toString(r.nanoCpus() > 0 ? r.nanoCpus() * LinuxSpec.CPU_PERIOD_US / 1_000_000_000L : -1),
                "--pids-limit", Long.toString(r.pidsLimit() > 0 ? r.pidsLimit() : -1), containerId));
        Processes.Result res = Processes.run(runtime.argv(args.toArray(String[]::new)), TIMEOUT_S);
        if (!res.ok()) {
            throw new AndockException(notFound(res.error()) ? AndockException.Kind.CONFLICT : AndockException.Kind.UNAVAILABLE,
                    "update " + containerId + ": " + runtime.name() + ": " + res.error());
        }
    }

    /** The bundle's {@code linux.resources} limits replaced (its device rules kept), for the next {@code runc run}. */
    @SuppressWarnings("unchecked")
    private static void rewriteLimits(Path bundle, Resources r) {
        Path file = io.andock.container.ContainerDir.bundleSpec(bundle);
        try {
            Map<String, Object> spec = (Map<String, Object>) io.andock.json.Json.parse(java.nio.file.Files.readString(file));
            Map<String, Object> linux = (Map<String, Object>) spec.computeIfAbsent("linux", k -> new java.util.LinkedHashMap<>());
            Map<String, Object> res = (Map<String, Object>) linux.computeIfAbsent("resources", k -> new java.util.LinkedHashMap<>());
            Map<String, Object> fresh = LinuxSpec.resources(LinuxOptions.builder().memoryBytes(r.memoryBytes())
                    .nanoCpus(r.nanoCpus()).pidsLimit(r.pidsLimit()).build());
            for (String k : List.of("memory", "cpu", "pids")) {
                if (fresh.containsKey(k)) res.put(k, fresh.get(k));
                else res.remove(k);
            }
            io.andock.container.ContainerStore.write(file, spec);
        } catch (java.io.IOException | ClassCastException e) {
            throw AndockException.wrap("update the bundle of " + bundle.getFileName(), e);
        }
    }

    private static final long CREATE_WAIT_NANOS = 10_000_000_000L;

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted");
        }
    }

    @Override
    public void delete(Path bundle, String containerId) {
        Processes.Result r = Processes.run(runtime.argv("delete", "--force", containerId), TIMEOUT_S);
        if (!r.ok() && !r.error().contains("does not exist") && !r.error().contains("not found")) {
            throw new AndockException(AndockException.Kind.UNAVAILABLE,
                    "delete " + containerId + ": " + runtime.name() + ": " + r.error());
        }
        RuntimeProbe.deleteTree(bundle.resolve("exec"));
    }

    /** {@code runc state ID}; not-found when the runtime does not know the container. */
    public OciState state(String containerId) {
        Processes.Result r = Processes.run(runtime.argv("state", containerId), TIMEOUT_S);
        if (!r.ok()) {
            String err = r.error();
            if (err.contains("does not exist") || err.contains("not found")) throw AndockException.notFound("state " + containerId + ": " + err);
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "state " + containerId + ": " + runtime.name() + ": " + err);
        }
        return OciState.parse(r.stdout());
    }
}
