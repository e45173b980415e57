package io.andock.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The test images: OCI layouts built by the kit in {@code testkit/fixtures/} (umoci, skopeo,
 * GNU tar; never andock), once per JVM and cached across runs.
 *
 * <p>Layouts under {@link #images()}: {@code busybox/}, {@code layers/}, {@code evil/} (pushable),
 * {@code evil-raw/} (tag {@code bad-digest}: a blob that does not match its digest; serve it
 * yourself), {@code images.list} (what {@link TestRegistry#pushAll()} pushes) and
 * {@code expected/layers-whiteouts.tsv}.
 *
 * <p>Environment: {@code ANDOCK_FIXTURES} = the output directory to use (default
 * {@code ~/.cache/andock-testkit/<kit-hash>}); {@code EVIL_BOMB_BYTES} = size of {@code evil:tarbomb}'s
 * zero file (default 256 MiB); {@code SOURCE_DATE_EPOCH} (default 2024-01-01). Building needs root.
 */
public final class Fixtures {
    /** The kit's files, as resources under {@code io/andock/testkit/fixtures/} (keep in sync with build.sh's fingerprint). */
    static final List<String> KIT_FILES = List.of("build.sh", "lib.sh", "layers.sh", "evil.sh", "oci.py",
            "evil-layers.py", "list-tree.py", "ryuk.sh", "ryuk.c", "expected/layers-whiteouts.tsv");
    public static final long DEFAULT_BOMB_BYTES = 256L << 20;

    private static Path images;
    private static Path kit;

    private Fixtures() {}

    /** One line of {@code images.list}: push {@code oci:<images>/<layout>:<tag>} to {@code <repoTag>} with {@code skopeoOptions}. */
    public record Image(String layout, String tag, String repoTag, List<String> skopeoOptions, boolean corruptAfterPush) {
        public String repository() { return repoTag.substring(0, repoTag.lastIndexOf(':')); }
    }

    /**
     * Skips the calling test (JUnit assumption) unless the kit can be built here: root, and umoci,
     * skopeo, zstd, docker-registry and /bin/busybox installed.
     */
    public static void assumeAvailable() {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("umoci", "skopeo", "zstd", "docker-registry", "curl", "openssl")) {
            if (Cmd.exec("sh", "-c", "command -v " + tool).exitCode() != 0) missing.add(tool);
        }
        if (!Files.isExecutable(Path.of("/bin/busybox"))) missing.add("busybox-static");
        org.junit.jupiter.api.Assumptions.assumeTrue(root && missing.isEmpty(),
                () -> "andock test fixtures need root and: " + missing);
    }

    /** Builds the kit if needed (once per JVM; a file lock guards concurrent JVMs) and returns its output directory. */
    public static synchronized Path images() {
        if (images == null) images = build();
        return images;
    }

    /** The directory holding the kit's scripts (list-tree.py, oci.py...), extracted from the classpath. */
    public static synchronized Path kit() {
        if (kit == null) kit = extractKit(cacheRoot().resolve("kit-" + kitHash()));
        return kit;
    }

    public static Path layout(String name) { return images().resolve(name); }

    /** The manifest (or index) digest a layout gives a tag, e.g. {@code manifestDigest("busybox", "multiarch")}. */
    public static String manifestDigest(String layout, String tag) {
        List<Map<String, Object>> ms = Json.at(Json.parse(read(layout(layout).resolve("index.json"))), "manifests");
        for (Map<String, Object> d : ms) {
            if (tag.equals(Json.at(d, "annotations", "org.opencontainers.image.ref.name"))) return (String) d.get("digest");
        }
        throw new IllegalArgumentException("no tag " + tag + " in layout " + layout);
    }

    public static Path blobPath(String layout, String digest) {
        String[] p = digest.split(":", 2);
        return layout(layout).resolve("blobs").resolve(p[0]).resolve(p[1]);
    }

    public static byte[] blob(String layout, String digest) {
        try {
            return Files.readAllBytes(blobPath(layout, digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON blob (manifest, index, config) of a layout, parsed. */
    public static Map<String, Object> json(String layout, String digest) {
        return Json.parseObject(new String(blob(layout, digest), StandardCharsets.UTF_8));
    }

    /** The manifest of layout:tag, parsed. */
    public static Map<String, Object> manifest(String layout, String tag) { return json(layout, manifestDigest(layout, tag)); }

    /** The config of layout:tag (a manifest, not an index), parsed. */
    public static Map<String, Object> config(String layout, String tag) {
        return json(layout, Json.at(manifest(layout, tag), "config", "digest"));
    }

    /** {@code images.list}: every pushable image. */
    public static List<Image> imageList(String... repoTags) {
        List<Image> all = new ArrayList<>();
        for (String line : read(images().resolve("images.list")).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            List<String> w = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            boolean corrupt = w.remove("corrupt-layer");
            all.add(new Image(w.get(0), w.get(1), w.get(2), List.copyOf(w.subList(3, w.size())), corrupt));
        }
        if (repoTags.length == 0) return all;
        List<Image> some = new ArrayList<>();
        for (String rt : repoTags) {
            some.add(all.stream().filter(i -> i.repoTag().equals(rt)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no fixture image " + rt)));
        }
        return some;
    }

    /** {@code expected/<name>}, e.g. {@code expected("layers-whiteouts.tsv")}. */
    public static Path expected(String name) { return images().resolve("expected").resolve(name); }

    /** An unpacked tree as list-tree.py's TSV ({@code subdir} may be null: the whole root). */
    public static String listTree(Path root, String subdir) {
        List<String> cmd = new ArrayList<>(List.of(python(), kit().resolve("list-tree.py").toString(), "list", root.toString()));
        if (subdir != null) cmd.add(subdir);
        return Cmd.run(cmd);
    }

    /** Differences between an unpacked rootfs and an expected listing; empty when they match. */
    public static List<String> compareTree(Path expectedTsv, Path root) {
        Cmd.Result r = Cmd.exec(python(), kit().resolve("list-tree.py").toString(), "compare", expectedTsv.toString(), root.toString());
        if (r.exitCode() > 1) r.check();
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Differences between an unpacked rootfs and {@code layers:whiteouts}' expected /fixture tree. */
    public static List<String> compareWhiteoutsTree(Path root) { return compareTree(expected("layers-whiteouts.tsv"), root); }

    /** Bytes of zeros in {@code evil:tarbomb}'s single file. */
    public static long bombBytes() {
        String v = System.getenv("EVIL_BOMB_BYTES");
        return v == null || v.isBlank() ? DEFAULT_BOMB_BYTES : Long.parseLong(v.trim());
    }

    static String python() { return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3"; }

    static Path cacheRoot() {
        String home = System.getProperty("user.home");
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache")).resolve("andock-testkit");
    }

    /** sha256 of the kit's files and the build-relevant environment (first 16 hex digits). */
    static String kitHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String f : KIT_FILES) {
                md.update(f.getBytes(StandardCharsets.UTF_8));
                md.update(resource(f));
            }
            md.update(("bomb=" + bombBytes() + " epoch=" + System.getenv().getOrDefault("SOURCE_DATE_EPOCH", "")).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) throw new IllegalStateException("kit file fixtures/" + name + " missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path extractKit(Path dir) {
        try {
            if (Files.isRegularFile(dir.resolve(".complete"))) return dir;
            Path tmp = Files.createDirectories(dir.getParent()).resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
            for (String f : KIT_FILES) {
                Path p = tmp.resolve(f);
                Files.createDirectories(p.getParent());
                Files.write(p, resource(f));
                p.toFile().setExecutable(f.endsWith(".sh") || f.endsWith(".py"));
            }
            Files.writeString(tmp.resolve(".complete"), "");
            try {
                Files.move(tmp, dir);
            } catch (IOException raced) {   // another JVM extracted it first
                Cmd.run("rm", "-rf", tmp.toString());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path build() {
        String hash = kitHash();
        String override = System.getenv("ANDOCK_FIXTURES");
        Path out = override != null && !override.isBlank() ? Path.of(override).toAbsolutePath() : cacheRoot().resolve(hash);
        Path stamp = out.resolve(".testkit-hash");
        if (hash.equals(readOrNull(stamp))) return out;
        try {
            Files.createDirectories(out);
            try (FileChannel ch = FileChannel.open(out.resolve(".testkit-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (hash.equals(readOrNull(stamp))) return out;
                Path log = out.resolve("build.log");
                long t0 = System.nanoTime();
                ProcessBuilder pb = new ProcessBuilder("bash", kit().resolve("build.sh").toString(), out.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putIfAbsent("TESTKIT_CACHE", cacheRoot().resolve("debs").toString());
                pb.environment().put("EVIL_BOMB_BYTES", Long.toString(bombBytes()));
                int rc = pb.start().waitFor();
                if (rc != 0) {
                    List<String> lines = Files.readAllLines(log);
                    throw new IllegalStateException("fixture build failed (exit " + rc + "; needs root and: umoci skopeo zstd busybox-static"
                            + " python3 tar apt): " + log + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                }
                Files.writeString(stamp, hash);
                System.err.printf("[andock-testkit] fixtures built in %d ms into %s%n", (System.nanoTime() - t0) / 1_000_000, out);
                return out;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readOrNull(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
