package io.andock.driver.oci;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds out which OCI runtime works on this machine, and whether cgroup limits work with it, by running a
 * trivial container ({@link ProbeBinary} in an otherwise empty rootfs, with a pids limit) with each candidate
 * in turn: runc, crun, then crun in a private mount namespace without the cgroup2 mount of a hybrid layout.
 * If no candidate can apply limits, the first that runs at all is taken without cgroups (rootless on v1).
 *
 * <p>The verdict is cached in {@code <root>/runtime/oci-probe.json} for the current boot, user and runtime binary
 * (size and modification time: an upgrade probes again): a kernel,
 * mount or delegation change needs a reboot or a deleted cache file. A new boot also empties the runtimes'
 * state directories, which describe containers of the previous boot. Environment: {@code ANDOCK_OCI_RUNTIME}
 * ({@code runc} or {@code crun}) tries that one first.
 */
public final class RuntimeProbe {

    /** The runtime to use and what it can do here; {@code reason} says why, for {@code andock info}. */
    public record Choice(OciRuntime runtime, boolean cgroups, String reason) {}

    private static final String CACHE = "oci-probe.json";

    private RuntimeProbe() {}

    /** The cached verdict for this boot, or a fresh probe. {@code andockRoot}/runtime is created if needed. */
    public static Choice choose(Path andockRoot) {
        Path dir = andockRoot.resolve("runtime");
        String boot = bootId();
        long uid = Rootless.statusId("Uid:");
        try {
            Files.createDirectories(dir);
            Path cache = dir.resolve(CACHE);
            if (Files.isRegularFile(cache)) {
                JsonObject c = JsonObject.parse(Files.readAllBytes(cache));
                if (boot.equals(c.string("BootId")) && c.number("Uid", -1) == uid && Files.isExecutable(Path.of(c.string("Binary", "")))
                        && stamp(Path.of(c.string("Binary"))).equals(c.string("BinaryStamp", ""))) {
                    return new Choice(new OciRuntime(c.string("Runtime"), Path.of(c.string("Binary")),
                            dir.resolve(c.string("Runtime")), c.bool("HideUnifiedCgroup")), c.bool("Cgroups"), c.string("Reason", ""));
                }
                if (!boot.equals(c.string("BootId"))) forgetPreviousBoot(dir);
            }
            Choice choice = probe(candidates(dir, uid == 0), dir, uid == 0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("BootId", boot);
            m.put("Uid", uid);
            m.put("Runtime", choice.runtime().name());
            m.put("Binary", choice.runtime().binary().toString());
            m.put("BinaryStamp", stamp(choice.runtime().binary()));
            m.put("HideUnifiedCgroup", choice.runtime().hideUnifiedCgroup());
            m.put("Cgroups", choice.cgroups());
            m.put("Reason", choice.reason());
            Path tmp = dir.resolve(CACHE + ".tmp" + ProcessHandle.current().pid());
            Files.write(tmp, Json.writeBytes(m));
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return choice;
        } catch (IOException e) {
            throw AndockException.wrap("probe OCI runtime", e);
        }
    }

    /** The runtime binary's size and modification time: an upgraded or replaced runc or crun is probed again. */
    static String stamp(Path binary) {
        try {
            var a = Files.readAttributes(binary, java.nio.file.attribute.BasicFileAttributes.class);
            return a.size() + ":" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "";
        }
    }

    /** Tries each candidate with a pids limit, then (if none could) without; the first that works wins. */
    static Choice probe(List<OciRuntime> candidates, Path workDir, boolean root) {
        if (candidates.isEmpty()) {
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "no OCI runtime: install runc or crun");
        }
        byte[] program = ProbeBinary.forArch(SeccompProfile.goArch(System.getProperty("os.arch")));
        if (program == null) {
            return new Choice(candidates.get(0), root, "not probed: no probe program for " + System.getProperty("os.arch"));
        }
        List<String> failures = new ArrayList<>();
        for (boolean cgroups : new boolean[] {true, false}) {
            for (OciRuntime rt : candidates) {
                String error = tryRun(rt, program, workDir, root, cgroups);
                if (error == null) {
                    String why = rt + " runs containers" + (cgroups ? " with cgroup limits" : " without cgroup limits")
                            + (failures.isEmpty() ? "" : "; " + String.join("; ", failures));
                    return new Choice(rt, cgroups, why);
                }
                failures.add(rt + (cgroups ? " with" : " without") + " limits: " + error);
            }
        }
        throw new AndockException(AndockException.Kind.UNAVAILABLE, "no OCI runtime works here: " + String.join("; ", failures));
    }

    /** Runs the probe container; null when it exited 0, else the runtime's error. */
    static String tryRun(OciRuntime rt, byte[] program, Path workDir, boolean root, boolean cgroups) {
        String id = "andock-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path bundle = workDir.resolve(id);
        try {
            Files.createDirectories(rt.stateRoot());
            Files.createDirectories(bundle.resolve("rootfs/proc"));
            Files.createDirectories(bundle.resolve("rootfs/dev"));   // crun opens it even without a /dev mount
            Path exe = Files.write(bundle.resolve("rootfs/probe"), program);
            exe.toFile().setExecutable(true, false);
            Files.write(bundle.resolve("config.json"), Json.writeBytes(probeSpec(id, root, cgroups)));
            Processes.Result r = Processes.run(rt.argv("run", "--bundle", bundle.toString(), id), 30);
            Processes.run(rt.argv("delete", "--force", id), 30);
            return r.ok() ? null : (r.error().isEmpty() ? "exit " + r.exitCode() : r.error());
        } catch (IOException | AndockException e) {
            return e.getMessage();
        } finally {
            deleteTree(bundle);
        }
    }

    static Map<String, Object> probeSpec(String id, boolean root, boolean cgroups) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", "1.0.2");
        spec.put("process", Map.of("args", List.of("/probe"), "cwd", "/", "user", Map.of("uid", 0, "gid", 0),
                "env", List.of()));
        spec.put("root", Map.of("path", "rootfs", "readonly", true));
        spec.put("mounts", List.of(Map.of("destination", "/proc", "type", "proc", "source", "proc")));
        LinuxOptions.Builder o = LinuxOptions.builder().cgroups(cgroups).pidsLimit(64);
        if (!root) {
            long uid = Rootless.statusId("Uid:"), gid = Rootless.statusId("Gid:");
            o.idMappings(List.of(new IdMapping(0, uid, 1)), List.of(new IdMapping(0, gid, 1)));
        }
        Map<String, Object> s = LinuxSpec.apply(spec, id, o.build());
        @SuppressWarnings("unchecked") Map<String, Object> linux = (Map<String, Object>) s.get("linux");
        linux.remove("seccomp");   // the probe asks about the runtime and cgroups, not about libseccomp
        return s;
    }

    /** runc, crun, and on a hybrid cgroup layout (as root) crun without the unified mount; ANDOCK_OCI_RUNTIME first. */
    static List<OciRuntime> candidates(Path runtimeDir, boolean root) {
        List<OciRuntime> out = new ArrayList<>();
        for (String name : List.of("runc", "crun")) {
            Path bin = which(name);
            if (bin == null) continue;
            out.add(new OciRuntime(name, bin, runtimeDir.resolve(name), false));
            if (name.equals("crun") && root && hybridCgroups()) out.add(new OciRuntime(name, bin, runtimeDir.resolve(name), true));
        }
        String first = System.getenv("ANDOCK_OCI_RUNTIME");
        if (first != null && !first.isBlank()) {
            out.sort((a, b) -> Boolean.compare(!a.name().equals(first.strip()), !b.name().equals(first.strip())));
        }
        return out;
    }

    /** cgroup v1 hierarchies under /sys/fs/cgroup plus a cgroup2 mount at /sys/fs/cgroup/unified. */
    static boolean hybridCgroups() {
        try {
            String mi = Files.readString(Path.of("/proc/self/mountinfo"));
            return mi.contains(" " + OciRuntime.UNIFIED + " ") && mi.contains(" - cgroup ");
        } catch (IOException e) {
            return false;
        }
    }

    static Path which(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(":")));
        String prefix = System.getenv("PREFIX");   // Termux
        if (prefix != null) dirs.add(prefix + "/bin");
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Empties the runtimes' state dirs: after a reboot they name containers that no longer exist. */
    private static void forgetPreviousBoot(Path runtimeDir) {
        for (String name : List.of("runc", "crun")) deleteTree(runtimeDir.resolve(name));
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
