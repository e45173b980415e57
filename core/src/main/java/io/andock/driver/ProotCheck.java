package io.andock.driver;

import io.andock.os.FileTrees;
import io.andock.os.HostTools;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What proot does on this host, found by running it ({@code andock info}): some phones' kernels break ptrace, and
 * Android refuses {@code link(2)} to apps (SELinux), which dpkg and apt inside OS containers need. Two short runs
 * of the host's own {@code sh} under proot, each bounded by {@link #BOUND_SECONDS}: fake root ({@code id -u} must
 * say 0), then a hard link in a scratch directory, with {@code --link2symlink} where this proot has it (Termux's
 * does, Debian's 5.1 does not), as the proot driver runs containers.
 *
 * @param proot        the proot binary, or null when there is none on PATH
 * @param failure      why the fake-root run failed (one line), or null when it worked
 * @param link2symlink whether this proot has {@code --link2symlink} (hard links emulated by symlinks)
 * @param hardLinks    whether a hard link could be made under proot as containers run
 * @param linkFailure  why not (one line), or null
 */
public record ProotCheck(String proot, String failure, boolean link2symlink, boolean hardLinks, String linkFailure) {
    static final long BOUND_SECONDS = 10;
    private static final int MAX_OUTPUT = 4096;

    /** Runs the checks, in a scratch directory made under {@code scratchParent} and removed again. */
    public static ProotCheck run(Path scratchParent) {
        String proot = HostTools.find("proot");
        if (proot == null) return new ProotCheck(null, "proot not found on PATH", false, false, null);
        boolean l2s = ProotDriver.link2symlink();
        String sh = HostTools.sh();
        List<String> base = new ArrayList<>(List.of(proot, "-v", "-1", "-0"));
        if (l2s) base.add("--link2symlink");
        Outcome root = run(concat(base, sh, "-c", "id -u"));
        String failure = root.exit == 0 && root.output.strip().equals("0") ? null
                : "fake root failed: " + root.firstLine("id -u said " + root.output.strip());
        if (failure != null) return new ProotCheck(proot, failure, l2s, false, "proot itself does not work");
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(scratchParent, "andock-proot-check");
            Outcome link = run(concat(base, sh, "-c", "cd \"$1\" && : > a && ln a b && echo linked", "sh", scratch.toString()));
            boolean linked = link.exit == 0 && link.output.contains("linked");
            return new ProotCheck(proot, null, l2s, linked, linked ? null : link.firstLine("ln failed"));
        } catch (IOException e) {
            return new ProotCheck(proot, null, l2s, false, "no scratch directory: " + e.getMessage());
        } finally {
            if (scratch != null) {
                try {
                    FileTrees.deleteTree(scratch);
                } catch (IOException ignored) {
                    // a temp directory: the OS cleans it
                }
            }
        }
    }

    /** For {@code andock info}: one line on proot, one on hard links. */
    public List<String> describe() {
        if (proot == null) return List.of("Proot: not found", "Hard Links In Proot Containers: unknown (no proot)");
        String self = failure == null ? "works (fake root)" : "does not work here: " + failure;
        String links;
        if (hardLinks) {
            links = link2symlink ? "yes, emulated by proot --link2symlink" : "yes";
        } else if (failure != null) {
            links = "unknown (proot does not work)";
        } else {
            links = "no: " + linkFailure + (link2symlink ? ""
                    : "; this proot has no --link2symlink (Termux's proot has; Debian's 5.1 has not): dpkg and apt in containers fail");
        }
        return List.of("Proot: " + proot + ", " + self + (link2symlink ? ", --link2symlink" : ""),
                "Hard Links In Proot Containers: " + links);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Path", proot);
        m.put("Works", proot != null && failure == null);
        m.put("Failure", failure);
        m.put("Link2Symlink", link2symlink);
        m.put("HardLinks", hardLinks);
        m.put("HardLinksFailure", linkFailure);
        return m;
    }

    private record Outcome(int exit, String output) {
        /** The first line of the output, else {@code otherwise}; control characters shown escaped. */
        String firstLine(String otherwise) {
            String l = output.strip().lines().findFirst().orElse("");
            if (l.isEmpty()) l = otherwise + " (exit " + exit + ")";
            StringBuilder b = new StringBuilder();
            l.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", c));
                else b.appendCodePoint(c);
            });
            return b.toString();
        }
    }

    /** Runs {@code cmd} with no stdin, stdout and stderr together (the first 4 KiB kept), killed after the bound. */
    private static Outcome run(List<String> cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("andock-proot-check", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Outcome(-1, "no answer within " + BOUND_SECONDS + " s");
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(out)) {
                head = in.readNBytes(MAX_OUTPUT);
            }
            return new Outcome(p.exitValue(), new String(head, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(-1, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted");
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

    private static List<String> concat(List<String> head, String... tail) {
        List<String> l = new ArrayList<>(head);
        l.addAll(List.of(tail));
        return l;
    }
}
