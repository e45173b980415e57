package io.andock.packaging;

import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code packaging/build} puts in each package, read back with dpkg-deb and tar. */
@Tag("host")
class PackageContentsTest {
    static final Packages P = Packages.of("0.2.0");

    @Test
    void debianPackage_hasItsFields_andInstallsUnderUsr() {
        assertThat(field(P.debian.toString(), "Package")).isEqualTo("andock");
        assertThat(field(P.debian.toString(), "Version")).isEqualTo("0.2.0");
        assertThat(field(P.debian.toString(), "Architecture")).isEqualTo("all");
        assertThat(field(P.debian.toString(), "Depends")).isEqualTo("default-jre-headless (>= 2:1.17) | java17-runtime-headless");
        assertThat(field(P.debian.toString(), "Recommends")).isEqualTo("runc | crun, proot, uidmap");
        assertThat(P.debian.getFileName().toString()).isEqualTo("andock_0.2.0_all.deb");
        assertThat(listing(P.debian.toString())).contains(
                "-rwxr-xr-x root/root ./usr/bin/andock",
                "-rw-r--r-- root/root ./usr/share/andock/andock.jar",
                "drwxr-xr-x root/root ./usr/share/andock/");
        assertThat(firstLine(P.debian.toString(), "./usr/bin/andock")).isEqualTo("#!/bin/sh");
        // nothing runs at install or removal: the user's store is never dpkg's business
        assertThat(Cmd.run("dpkg-deb", "-I", P.debian.toString())).doesNotContain("postinst", "prerm", "postrm", "preinst");
    }

    @Test
    void termuxPackage_installsUnderTermuxsPrefix_withTermuxsDependencies() {
        String deb = P.termux.toString();
        assertThat(field(deb, "Depends")).isEqualTo("openjdk-21 | openjdk-17 | openjdk-25, proot");
        assertThat(field(deb, "Recommends")).isEqualTo("util-linux, qemu-user-aarch64, docker-cli");
        assertThat(field(deb, "Architecture")).isEqualTo("all");
        assertThat(P.termux.getFileName().toString()).isEqualTo("andock_0.2.0_all.deb");
        List<String> files = listing(deb);
        assertThat(files).contains(
                "-rwxr-xr-x root/root ./" + Packages.TERMUX_PREFIX + "/bin/andock",
                "-rw-r--r-- root/root ./" + Packages.TERMUX_PREFIX + "/share/andock/andock.jar");
        assertThat(files).allMatch(l -> l.endsWith(" ./") || l.contains(" ./data/"), "everything under /data");
        // Termux has no /bin/sh
        assertThat(firstLine(deb, "./" + Packages.TERMUX_PREFIX + "/bin/andock")).isEqualTo("#!/" + Packages.TERMUX_PREFIX + "/bin/sh");
        assertThat(Cmd.run("dpkg-deb", "-I", deb)).doesNotContain("postinst", "prerm", "postrm", "preinst");
    }

    @Test
    void termuxPackage_isAtMost8MB() throws Exception {
        assertThat(Files.size(P.termux)).isLessThanOrEqualTo(8L << 20);
    }

    @Test
    void tarball_holdsTheSameLayout_ownedByRoot() {
        String list = Cmd.run("tar", "-tvzf", P.tarball.toString());
        assertThat(list).containsPattern("-rwxr-xr-x 0/0 +\\d+ \\S+ \\S+ andock-0.2.0/bin/andock\n")
                .containsPattern("-rw-r--r-- 0/0 +\\d+ \\S+ \\S+ andock-0.2.0/share/andock/andock.jar\n");
    }

    @Test
    void sameInput_sameBytes(@TempDir Path out) throws Exception {
        // reproducible: another build of the same version from the same jar and commit is the same, byte for byte
        Packages again = Packages.build("0.2.0", out);
        for (Path[] pair : new Path[][]{{again.debian, P.debian}, {again.termux, P.termux}, {again.tarball, P.tarball}}) {
            assertThat(Files.readAllBytes(pair[0])).as(pair[0].toString()).isEqualTo(Files.readAllBytes(pair[1]));
        }
    }

    @Test
    void badVersion_isRefusedInOneLine() {
        Cmd.Result r = Cmd.exec(Packages.repo().resolve("packaging/build").toString(), "--version", "../1", "--jar",
                Packages.jar().toString(), "--out", "/nonexistent");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("packaging/build: bad version \"../1\": must start with a digit\n");
    }

    static String field(String deb, String name) {
        return Cmd.run("dpkg-deb", "-f", deb, name).strip();
    }

    /** "MODE OWNER PATH" per entry of the package's data. */
    static List<String> listing(String deb) {
        return Cmd.run("dpkg-deb", "-c", deb).lines()
                .map(l -> l.split(" +"))
                .map(f -> f[0] + " " + f[1] + " " + f[5])
                .toList();
    }

    static String firstLine(String deb, String path) {
        return Cmd.run("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\" | head -n 1", "sh", deb, path).strip();
    }
}
