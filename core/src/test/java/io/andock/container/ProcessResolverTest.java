package io.andock.container;

import io.andock.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pure rules, on a hand-made rootfs: no root, no drivers. */
class ProcessResolverTest {
    @TempDir
    Path root;

    private static JsonObject image(Map<String, Object> m) {
        return new JsonObject(m);
    }

    @Test
    void argv_entrypointPlusCmd_andEntrypointFlagResetsImageCmd() {
        JsonObject img = image(Map.of("Entrypoint", List.of("httpd", "-f"), "Cmd", List.of("-p", "80")));
        assertThat(ProcessResolver.argv(img, null, null)).containsExactly("httpd", "-f", "-p", "80");
        assertThat(ProcessResolver.argv(img, null, List.of("-p", "81"))).containsExactly("httpd", "-f", "-p", "81");
        assertThat(ProcessResolver.argv(img, List.of("sh"), null)).containsExactly("sh");
        assertThat(ProcessResolver.argv(img, List.of(), List.of("ls"))).containsExactly("ls");
        assertThatThrownBy(() -> ProcessResolver.argv(image(Map.of()), null, null)).hasMessage("no command specified");
    }

    @Test
    void env_userOverridesImage_defaultsAdded() {
        List<String> env = ProcessResolver.env(List.of("A=1", "PATH=/x"), List.of("A=2", "B=3"), "h", "/root", true);
        assertThat(env).containsExactly("PATH=/x", "HOSTNAME=h", "TERM=xterm", "A=2", "B=3", "HOME=/root");
        assertThat(ProcessResolver.env(null, List.of(), "h", "/", false)).contains("PATH=" + ProcessResolver.DEFAULT_PATH);
    }

    @Test
    void user_resolvedFromTheRootfsFiles() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1001:\nwheel:x:10:app,other\n");
        assertThat(UserSpec.resolve(root, "app")).isEqualTo(new UserSpec(1000, 1001, List.of(10L), "/home/app"));
        assertThat(UserSpec.resolve(root, "1000:wheel")).isEqualTo(new UserSpec(1000, 10, List.of(), "/home/app"));
        assertThat(UserSpec.resolve(root, "4242:4243")).isEqualTo(new UserSpec(4242, 4243, List.of(), "/"));
        assertThat(UserSpec.resolve(root, null).uid()).isZero();
        assertThatThrownBy(() -> UserSpec.resolve(root, "foo"))
                .hasMessage("unable to find user foo: no matching entries in passwd file");
        assertThatThrownBy(() -> UserSpec.resolve(root, "app:nogroup")).hasMessageContaining("unable to find group nogroup");
    }

    @Test
    void passwdSymlinkOutOfTheRootfs_staysInside() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("real"));
        Files.writeString(root.resolve("real/passwd"), "evil:x:7:7::/:/bin/sh\n");
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/../../../real/passwd"));
        assertThat(UserSpec.resolve(root, "evil").uid()).isEqualTo(7); // /real/passwd of the rootfs, not the host
        assertThat(RootPaths.resolve(root, "/etc/../../..//etc/passwd")).isEqualTo(root.resolve("real/passwd"));
    }

    @Test
    void lookup_alongPath_throughSymlinksInsideTheRootfs() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Path busybox = Files.writeString(root.resolve("bin/busybox"), "#!");
        Files.setPosixFilePermissions(busybox, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createSymbolicLink(root.resolve("usr"), Path.of("/")); // usr -> / : /usr/bin/sh is /bin/sh
        Files.writeString(root.resolve("bin/data"), "x");
        ProcessResolver.checkExecutable(root, "sh", "/usr/sbin:/bin", "/", 0, 0);
        ProcessResolver.checkExecutable(root, "/usr/bin/sh", null, "/", 0, 0);
        assertThatThrownBy(() -> ProcessResolver.checkExecutable(root, "nope", "/bin", "/", 0, 0))
                .hasMessage("exec: \"nope\": executable file not found in $PATH")
                .satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(127));
        assertThatThrownBy(() -> ProcessResolver.checkExecutable(root, "/bin/data", "/bin", "/", 0, 0))
                .hasMessage("exec: \"/bin/data\": permission denied")
                .satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(126));
        assertThatThrownBy(() -> ProcessResolver.checkExecutable(root, "/bin", "/bin", "/", 0, 0))
                .satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(126));
        assertThatThrownBy(() -> ProcessResolver.checkExecutable(root, "/nope", "/bin", "/", 0, 0))
                .satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(127));
    }

    @Test
    void workdir_mustBeAbsolute_andIsCreatedAtStart() throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Path sh = Files.writeString(root.resolve("bin/sh"), "#!");
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwxr-xr-x"));
        ContainerSpec spec = ContainerSpec.builder("x").cmd("sh").workingDir("/a/b").build();
        ProcessSpec p = ProcessResolver.resolve(root, image(Map.of()), spec, "h");
        ProcessResolver.prepareStart(root, p);
        assertThat(root.resolve("a/b")).isDirectory();
        assertThatThrownBy(() -> ProcessResolver.resolve(root, image(Map.of()),
                ContainerSpec.builder("x").cmd("sh").workingDir("rel").build(), "h")).hasMessageContaining("absolute path");
    }
}
