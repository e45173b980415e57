package io.andock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Traps for the {@code evil:*} images. {@link #prepare(Path)} (before unpacking into {@code rootfs})
 * creates {@code /tmp/andock-evil/sentinel}, {@code /tmp/andock-evil/victim} and
 * {@code <parent of rootfs>/andock-evil-victim} with known content and notes which
 * {@code andock-evil*} names exist around the rootfs; {@link #problems()} afterwards lists what an
 * escaping unpacker changed: a trap modified or deleted, a new {@code andock-evil*} name in any
 * ancestor of the rootfs (or its {@code etc/}, {@code tmp/}), in {@code /etc} or {@code /tmp},
 * anything new in {@code /tmp/andock-evil}, or {@code /etc/passwd} changed.
 */
public final class EvilSentinels {
    public static final Path DIR = Path.of("/tmp/andock-evil");
    public static final String SENTINEL_TEXT = "andock sentinel: must not change\n";
    public static final String VICTIM_TEXT = "andock victim: must not be deleted\n";

    private final Path rootfs;
    private final Path parentVictim;
    private final Set<String> before;
    private final String passwd;

    private EvilSentinels(Path rootfs) {
        this.rootfs = rootfs.toAbsolutePath().normalize();
        this.parentVictim = this.rootfs.getParent().resolve("andock-evil-victim");
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("sentinel"), SENTINEL_TEXT);
            Files.writeString(DIR.resolve("victim"), VICTIM_TEXT);
            Files.createDirectories(this.rootfs.getParent());
            Files.writeString(parentVictim, VICTIM_TEXT);
            passwd = Files.readString(Path.of("/etc/passwd"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        before = scan();
    }

    /** Sets the traps around {@code rootfs} (which need not exist yet). */
    public static EvilSentinels prepare(Path rootfs) { return new EvilSentinels(rootfs); }

    public Path parentVictim() { return parentVictim; }

    /** What changed, empty if every trap is intact. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        check(p, DIR.resolve("sentinel"), SENTINEL_TEXT);
        check(p, DIR.resolve("victim"), VICTIM_TEXT);
        check(p, parentVictim, VICTIM_TEXT);
        try {
            if (!Files.readString(Path.of("/etc/passwd")).equals(passwd)) p.add("/etc/passwd changed");
        } catch (IOException e) {
            p.add("/etc/passwd unreadable: " + e);
        }
        Set<String> now = scan();
        now.removeAll(before);
        now.forEach(n -> p.add("appeared outside the rootfs: " + n));
        return p;
    }

    /** Throws an AssertionError listing {@link #problems()} if there are any. */
    public void assertIntact() {
        List<String> p = problems();
        if (!p.isEmpty()) throw new AssertionError("an evil image escaped the rootfs " + rootfs + ":\n  " + String.join("\n  ", p));
    }

    /** Removes the traps (and only them). */
    public void cleanup() {
        try {
            Files.deleteIfExists(parentVictim);
            Files.deleteIfExists(DIR.resolve("sentinel"));
            Files.deleteIfExists(DIR.resolve("victim"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(List<String> p, Path f, String text) {
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) p.add(f + " is gone or no longer a regular file");
            else if (!Files.readString(f).equals(text)) p.add(f + " was modified");
        } catch (IOException e) {
            p.add(f + ": " + e);
        }
    }

    private Set<String> scan() {
        Set<String> found = new TreeSet<>();
        List<Path> dirs = new ArrayList<>(List.of(Path.of("/etc"), Path.of("/tmp")));
        for (Path a = rootfs.getParent(); a != null; a = a.getParent()) {
            dirs.add(a);
            dirs.add(a.resolve("etc"));
            dirs.add(a.resolve("tmp"));
        }
        for (Path d : dirs) {
            if (d.startsWith(rootfs) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.filter(f -> f.getFileName().toString().startsWith("andock-evil")).forEach(f -> found.add(f.toString()));
            } catch (IOException ignored) {
                // unreadable: nothing to compare
            }
        }
        try (Stream<Path> s = Files.list(DIR)) {
            s.forEach(f -> found.add(f.toString()));
        } catch (IOException ignored) {
            // DIR removed: check() reports it
        }
        return found;
    }
}
