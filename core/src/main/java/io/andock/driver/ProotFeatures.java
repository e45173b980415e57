package io.andock.driver;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The long options a proot binary has ({@code --kill-on-exit}, {@code --link2symlink}: Termux's proot has them,
 * Debian's 5.1 has not), read from its {@code --help}. That costs a process per container start, so the answer is
 * kept in {@code $XDG_CACHE_HOME/andock/proot-features} (else {@code ~/.cache/andock}) for this boot and this
 * binary (path, size, modification time): another proot, an upgrade or a reboot asks again. Best effort: an
 * unreadable or unwritable cache only means asking proot.
 */
final class ProotFeatures {
    private static final Pattern OPTION = Pattern.compile("--[a-z0-9][a-z0-9-]*");
    private static final int MAX_HELP = 64 * 1024;

    private ProotFeatures() {
    }

    /** The long options of {@code proot}; empty when it cannot be asked. */
    static Set<String> of(String proot) {
        return of(proot, cacheFile());
    }

    /** The same with the cache in {@code cache} (null: none). */
    static Set<String> of(String proot, Path cache) {
        String key = key(proot);
        if (key != null && cache != null) {
            try {
                String[] lines = Files.readString(cache, StandardCharsets.UTF_8).split("\n", -1);
                if (lines.length >= 2 && lines[0].equals(key)) return Set.of(lines[1].isBlank() ? new String[0] : lines[1].split(" "));
            } catch (IOException | RuntimeException e) {
                // no cache yet, or a damaged one: ask proot
            }
        }
        Set<String> options = ask(proot);
        if (key != null && cache != null && options != null) {
            try {
                Files.createDirectories(cache.getParent());
                Path tmp = Files.createTempFile(cache.getParent(), ".proot-features", ".tmp");
                Files.writeString(tmp, key + "\n" + String.join(" ", options) + "\n");
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
        return options == null ? Set.of() : options;
    }

    /** This boot and this binary, or null when either cannot be told. */
    static String key(String proot) {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            BasicFileAttributes a = Files.readAttributes(Path.of(proot), BasicFileAttributes.class);
            return "boot " + boot + " " + proot + " " + a.size() + " " + a.lastModifiedTime().toMillis();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Path cacheFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getenv("HOME");
        Path dir = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
                : home != null && home.startsWith("/") ? Path.of(home, ".cache") : null;
        return dir == null ? null : dir.resolve("andock").resolve("proot-features");
    }

    /** {@code proot --help}'s long options, or null when proot could not be run in 10 s (not cached then). */
    private static Set<String> ask(String proot) {
        Path out = null;
        try {
            out = Files.createTempFile("andock-proot-help", ".txt");
            Process p = new ProcessBuilder(proot, "--help").redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            byte[] help;
            try (InputStream in = Files.newInputStream(out)) {
                help = in.readNBytes(MAX_HELP);
            }
            Set<String> options = new TreeSet<>();
            Matcher m = OPTION.matcher(new String(help, StandardCharsets.UTF_8));
            while (m.find()) options.add(m.group());
            return options.isEmpty() ? null : options;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}
