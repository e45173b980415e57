package io.andock.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Supplier;

/**
 * The driver the host probe chose, kept for this boot: choosing reads some twenty files under /proc and /sys, the
 * kernel's config and every directory on PATH (tens of milliseconds of each {@code run}), and its answer changes only
 * with what the key below holds. The key: the boot ({@code /proc/sys/kernel/random/boot_id}), the effective uid, capabilities, seccomp
 * mode, user namespace and cgroup, the
 * forced {@code --driver}, whether {@code /system/build.prop} exists, the environment the probe reads (PATH, Termux's and Android's variables), and for each
 * program the choice depends on ({@link Binaries#TOOLS}) the file PATH finds: path, size and modification time, so
 * installing, upgrading or removing runc, crun or proot asks again. Kept in {@code <dir>/driver-choice} as two lines,
 * the key and the driver's name. Best effort: an unreadable or unwritable file means probing; a failed choice (an
 * error for the user) is never kept. Two processes writing at once: the last rename wins, both answers being equal.
 */
public final class DriverChoiceCache {
    private static final String FILE = "driver-choice";
    private static final String[] ENV = {"PATH", "TERMUX_VERSION", "PREFIX", "ANDROID_ROOT", "ANDROID_DATA",
        "ANDROID__BUILD_VERSION_SDK", "ANDOCK_OCI_RUNTIME"};

    private DriverChoiceCache() {
    }

    /**
     * The driver name kept for this key in {@code dir} (null: no cache), else {@code choose}'s, then kept.
     * {@code forced} is the asked driver or null.
     */
    public static String chosen(Path dir, String forced, Supplier<String> choose) {
        return chosen(HostFs.real(), dir, forced, choose);
    }

    /** The same on the machine {@code fs} shows. */
    static String chosen(HostFs fs, Path dir, String forced, Supplier<String> choose) {
        String key = dir == null ? null : key(fs, forced);
        Path file = key == null ? null : dir.resolve(FILE);
        if (file != null) {
            try {
                String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
                if (lines.length >= 2 && lines[0].equals(key) && !lines[1].isEmpty()) return lines[1];
            } catch (IOException | RuntimeException e) {
                // none yet, or damaged: probe
            }
        }
        String name = choose.get();
        if (file != null) keep(file, key + "\n" + name + "\n");
        return name;
    }

    /** What the choice depends on, as one line; null when the boot cannot be told. */
    static String key(HostFs fs, String forced) {
        String boot = fs.line("/proc/sys/kernel/random/boot_id");
        if (boot == null || boot.isEmpty()) return null;
        StringBuilder b = new StringBuilder("boot=").append(boot);
        ProcStatus status = ProcStatus.parse(fs.text("/proc/self/status"));
        b.append(" uid=").append(status.effectiveUid()).append(" caps=").append(Long.toHexString(status.capEff()))
                .append(" seccomp=").append(status.seccompMode()).append(" nnp=").append(status.noNewPrivs());
        // another user namespace or cgroup (a container, a test's restricted shell) may allow other drivers
        b.append(" userns=").append(link(fs, "/proc/self/ns/user"));
        String cgroup = fs.text("/proc/self/cgroup");
        b.append(" cgroup=").append(cgroup == null ? "" : cgroup.strip().replace('\n', ';'));
        b.append(" driver=").append(forced == null ? "" : forced);
        b.append(" android=").append(fs.exists("/system/build.prop"));
        for (String v : ENV) {
            String value = fs.env(v);
            if (value != null) b.append(' ').append(v).append('=').append(value);
        }
        for (String tool : Binaries.TOOLS) {
            String path = fs.which(tool);
            if (path == null) continue;
            b.append(' ').append(path);
            try {
                BasicFileAttributes a = Files.readAttributes(fs.path(path), BasicFileAttributes.class);
                b.append(':').append(a.size()).append(':').append(a.lastModifiedTime().toMillis());
            } catch (IOException | RuntimeException e) {
                b.append(":?");
            }
        }
        String key = b.toString();
        return key.indexOf('\n') >= 0 ? null : key;
    }

    /** The target of a symbolic link ({@code user:[4026531837]}), or "?" when it cannot be read. */
    private static String link(HostFs fs, String abs) {
        try {
            return Files.readSymbolicLink(fs.path(abs)).toString();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void keep(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + FILE, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // best effort: the next run probes again
        }
    }
}
