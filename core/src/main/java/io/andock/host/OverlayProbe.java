package io.andock.host;

import io.andock.os.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real, tiny overlay mount (full probe only): lower, upper, work and merged directories in a temp dir,
 * mounted by {@code unshare -m mount -t overlay ...} inside a private mount namespace that dies with the command,
 * so nothing stays mounted. Rootless, the same inside a user namespace with the {@code userxattr} option
 * (Linux 5.11+). The temp dir must be on a filesystem that can be an overlay upper layer (not overlay itself).
 */
final class OverlayProbe {

    private final CommandRunner runner;
    private final Binaries bins;
    private final ProcStatus status;
    private final KernelVersion kernel;
    private final Verdict userns;

    OverlayProbe(CommandRunner runner, Binaries bins, ProcStatus status, KernelVersion kernel, Verdict userns) {
        this.runner = runner;
        this.bins = bins;
        this.status = status;
        this.kernel = kernel;
        this.userns = userns;
    }

    Verdict tryMount(Verdict overlay, Path scratch) {
        if (overlay.isNo()) return Verdict.no(overlay.reason());
        if (bins.path("unshare") == null || bins.path("mount") == null) {
            return Verdict.unknown("unshare or mount not found on PATH to try");
        }
        List<String> argv = new ArrayList<>(List.of(bins.path("unshare")));
        String extra = "";
        if (!status.isRoot()) {
            if (!userns.isYes()) return Verdict.no("rootless overlay needs a user namespace: " + userns.reason());
            if (!kernel.atLeast(5, 11)) {
                return Verdict.no("rootless overlay needs Linux 5.11+ (userxattr); kernel is " + kernel);
            }
            argv.addAll(List.of("-U", "-r"));
            extra = "userxattr,";
        }
        Path dir = null;
        try {
            Path base = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(base);
            dir = Files.createTempDirectory(base, "andock-overlay-probe");
            for (String d : List.of("lower", "upper", "work", "merged")) Files.createDirectory(dir.resolve(d));
            Files.writeString(dir.resolve("lower/probe"), "probe\n");
            String opts = extra + "lowerdir=" + dir.resolve("lower") + ",upperdir=" + dir.resolve("upper")
                    + ",workdir=" + dir.resolve("work");
            argv.addAll(List.of("-m", "--propagation", "private", bins.path("mount"), "-t", "overlay", "overlay",
                    "-o", opts, dir.resolve("merged").toString()));
            CommandRunner.Result r = runner.run(argv, HostProbe.TIMEOUT);
            String how = status.isRoot() ? "overlay mount" : "rootless overlay mount (userxattr)";
            return r.ok() ? Verdict.yes(how + " works in " + base)
                    : Verdict.no(how + " in " + base + " failed: " + r.describe());
        } catch (IOException e) {
            return Verdict.unknown("cannot prepare overlay probe: " + e.getMessage());
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover empty temp dir is harmless
        }
    }
}
