package io.andock.packaging;

import io.andock.testkit.Cmd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/andock's static class-data archive (the installed layout, from the tarball): made in the user's cache on
 * first use, with every JDK 17+ including one without the JDK's own archive (lib/server/classes.jsa, which Termux's
 * cross-built JDKs lack and which the former dynamic archive needed), and made again when the jar or the JDK
 * changes. Proof that it is used: the JVM maps it with {@code -Xshare:on} (which fails rather than run without)
 * and loads andock's and picocli's classes from it.
 */
@Tag("host")
class StartupArchiveTest {
    static final Path DEFAULT_JDK = Path.of(System.getProperty("java.home"));
    static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    static Path installed;

    /** JDK copies, removed here: their links to /etc would make JUnit warn on each. */
    final List<Path> copies = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void removeCopies() {
        for (Path p : copies) Cmd.exec("rm", "-rf", p.toString());
    }

    Path copyOfDefaultJdk(Path where) throws IOException {
        copies.add(where);
        // hard links where the temp dir shares /usr's file system (fast, no space), a full copy elsewhere
        Cmd.run("sh", "-c", "cp -al \"$1\" \"$2\" 2>/dev/null || { rm -rf \"$2\"; cp -a \"$1\" \"$2\"; }", "sh",
                DEFAULT_JDK.toRealPath().toString(), where.toString());
        return where;
    }

    @BeforeAll
    static void unpackTarball() {
        Cmd.run("tar", "-xzf", Packages.of("0.2.0").tarball.toString(), "-C", installed.toString());
    }

    static Path launcher() {
        return installed.resolve("andock-0.2.0/bin/andock");
    }

    static Path jar() {
        return installed.resolve("andock-0.2.0/share/andock/andock.jar");
    }

    @Test
    void defaultJdk_archiveMadeOnFirstRun_andUsed(@TempDir Path cache) throws Exception {
        Path jsa = makeArchive(DEFAULT_JDK, cache);
        assertUsed(DEFAULT_JDK, jsa);
        // beside it, the jar's resources (a run with the archive reads them there, never opening the jar)
        Path monitor = Path.of(jsa + ".res", "io/andock/task/andock-monitor.sh");
        try (var jar = new java.util.zip.ZipFile(jar().toFile())) {
            assertThat(Files.readAllBytes(monitor))
                    .isEqualTo(jar.getInputStream(jar.getEntry("io/andock/task/andock-monitor.sh")).readAllBytes());
        }
    }

    @Test
    void jdkWithoutItsOwnArchive_stillGetsOne(@TempDir Path tmp) throws Exception {
        // a copy of the JDK (hard links: same file system) with lib/server/classes*.jsa removed: Termux's condition
        Path jdk = copyOfDefaultJdk(tmp.resolve("jdk"));
        try (Stream<Path> s = Files.list(jdk.resolve("lib/server"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList()) Files.delete(p);
        }
        assertThat(Cmd.exec(jdk.resolve("bin/java").toString(), "-Xshare:on", "-version").ok())
                .as("the copy has no archive of its own").isFalse();
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path jsa = makeArchive(jdk, cache);
        assertUsed(jdk, jsa);
    }

    @Test
    void temurin25_archiveMadeAndUsed(@TempDir Path cache) throws Exception {
        assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")), "no JDK at " + TEMURIN_25 + ": skipped");
        Path jsa = makeArchive(TEMURIN_25, cache);
        // JDK 25's -Xshare:dump skips old class files it linked ("Old class has been linked"): picocli is read from the jar
        assertUsed(TEMURIN_25, jsa, false);
    }

    @Test
    void newJdk_makesAnArchiveBesideTheOthers_andANewJarReplacesThatJdksOld(@TempDir Path tmp) throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path first = makeArchive(DEFAULT_JDK, cache);
        // another JDK at another path (a copy), same files: an archive of its own; the first JDK's stays (Termux may
        // have several JDKs, each used by turns)
        Path jdk = copyOfDefaultJdk(tmp.resolve("jdk"));
        Path second = makeArchive(jdk, cache);
        assertThat(second).isNotEqualTo(first);
        assertThat(first).exists();
        // a new jar (an upgrade): a new archive for this JDK, which replaces its old one
        Cmd.run("touch", "-d", "2001-01-01", jar().toString());
        Path third = makeArchive(jdk, cache);
        assertThat(third).isNotEqualTo(second);
        assertThat(second).doesNotExist();
        assertThat(Path.of(second + ".res")).doesNotExist();
        assertThat(Path.of(third + ".res")).isDirectory();
        assertThat(first).exists();
        assertUsed(jdk, third);
        // one unread for 30 days (of a JDK since removed or upgraded) goes at the next archive made
        Path stale = Files.copy(first, first.resolveSibling("andock-1-2.jsa"));
        Cmd.run("touch", "-a", "-d", "40 days ago", stale.toString());
        Cmd.run("touch", "-d", "2002-01-01", jar().toString());
        makeArchive(DEFAULT_JDK, cache);
        assertThat(stale).doesNotExist();
    }

    @Test
    void cdsOff_makesNoArchive(@TempDir Path cache) throws Exception {
        Cmd.Result r = Cmd.exec(List.of(launcher().toString(), "--version"), env(DEFAULT_JDK, cache, "0"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(archives(cache)).isEmpty();
    }

    /** Runs the launcher once with ANDOCK_CDS=sync and returns the one archive it added to the cache. */
    static Path makeArchive(Path jdk, Path cache) throws IOException {
        List<Path> before = archives(cache);
        Cmd.Result r = Cmd.exec(List.of(launcher().toString(), "--version"), env(jdk, cache, "sync"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("andock version ");
        assertThat(r.stderr()).isEmpty();
        List<Path> jsa = new java.util.ArrayList<>(archives(cache));
        jsa.removeAll(before);
        assertThat(jsa).hasSize(1);
        return jsa.get(0);
    }

    static void assertUsed(Path jdk, Path jsa) {
        assertUsed(jdk, jsa, true);
    }

    static void assertUsed(Path jdk, Path jsa, boolean picocliToo) {
        Cmd.Result r = Cmd.exec(jdk.resolve("bin/java").toString(), "-XX:SharedArchiveFile=" + jsa, "-Xshare:on",
                "-Xlog:class+load=info", "-jar", jar().toString(), "--version");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("io.andock.cli.Main source: shared objects file",
                "java.lang.Object source: shared objects file");
        // picocli's Java 5 class files: JDK 17's static archive holds them (a dynamic one skips them)
        if (picocliToo) assertThat(r.stdout()).contains("picocli.CommandLine source: shared objects file");
    }

    static Map<String, String> env(Path jdk, Path cache, String cds) {
        return Map.of("PATH", jdk.resolve("bin") + ":/usr/bin:/bin", "XDG_CACHE_HOME", cache.toString(), "ANDOCK_CDS", cds);
    }

    static List<Path> archives(Path cache) throws IOException {
        Path dir = cache.resolve("andock");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }
}
