package io.andock.cli;

import io.andock.testkit.AndroidSim;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code andock device} against a phone made of shared/android-sim's {@code fake-adbd.py} (the device side of ADB,
 * commands run as adb shell's uid 2000) behind Debian's real adb server (a private one, on its own port). Android's
 * {@code pm}, {@code am}, {@code settings} and {@code device_config} are stand-ins that log their arguments to
 * {@code /data/local/tmp/standin.log} ({@code pm} says Termux is installed unless {@code no-termux} exists there).
 */
@Tag("android")
class CliDeviceTest {
    @TempDir
    Path tmp;

    Path standins, localTmp;
    Process adbd;
    int adbdPort, serverPort;
    Map<String, String> env;

    @BeforeEach
    void startPhone() throws Exception {
        Path sim = AndroidSim.dir();
        assumeTrue(sim != null && Files.isRegularFile(sim.resolve("fake-adbd.py")), "no Android simulator (shared/android-sim): skipped");
        assumeTrue(Cmd.exec("sh", "-c", "command -v adb && command -v python3").ok(), "no adb or python3 (apt-get install adb): skipped");
        // adb shell's uid must read the stand-ins: not under /tmp, /var/tmp or /dev/shm, which the simulator hides
        // (a checkout may be under /tmp itself: then /run, root's and readable by all)
        Path target = Path.of("target").toAbsolutePath().toRealPath();
        boolean hidden = List.of("/tmp/", "/var/tmp/", "/dev/shm/").stream().anyMatch(h -> (target + "/").startsWith(h));
        standins = Files.createTempDirectory(hidden ? Path.of("/run") : target, "adb-standins");
        Files.setPosixFilePermissions(standins, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String t : List.of("am", "device_config", "settings")) {
            standin(t, "");
        }
        standin("pm", "[ \"$1 $2\" = \"list packages\" ] && [ ! -e /data/local/tmp/no-termux ] && echo package:com.termux\n");
        localTmp = Files.createDirectories(tmp.resolve("local-tmp"));
        Files.createDirectories(tmp.resolve("phone/files/usr/tmp"));
        Files.createDirectories(tmp.resolve("phone/files/home"));
        Cmd.run("chown", "-R", "10234:10234", tmp.resolve("phone").toString());
        adbdPort = freePort();
        serverPort = freePort();
        ProcessBuilder pb = new ProcessBuilder("python3", sim.resolve("fake-adbd.py").toString(), "--port", String.valueOf(adbdPort),
                "--data", tmp.resolve("phone").toString(), "--local-tmp", localTmp.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("adbd.log").toFile());
        pb.environment().put("ANDROID_SIM_HOST_PATH", standins + ":/usr/local/bin:/usr/bin:/bin");
        adbd = pb.start();
        awaitListening(adbdPort);
        env = new HashMap<>(Map.of("ANDROID_ADB_SERVER_PORT", String.valueOf(serverPort)));
        Cmd.exec(List.of("adb", "connect", serial()), env).check();
        for (int i = 0; i < 100 && !Cmd.exec(List.of("adb", "devices"), env).stdout().contains(serial() + "\tdevice"); i++) {
            Thread.sleep(100);
        }
    }

    @AfterEach
    void stopPhone() {
        if (env != null) Cmd.exec(List.of("adb", "kill-server"), env);
        if (adbd != null) adbd.destroyForcibly();
        if (standins != null) Cmd.exec("rm", "-rf", standins.toString());
    }

    String serial() {
        return "127.0.0.1:" + adbdPort;
    }

    @Test
    void ls_listsTheDevice() {
        Andock andock = new Andock(tmp.resolve("root"), env);
        assertThat(andock.ok("device", "ls")).containsPattern("SERIAL +STATE +DESCRIPTION\n")
                .containsPattern("\n" + java.util.regex.Pattern.quote(serial()) + " +device +product:android_sim");
    }

    @Test
    void setup_checksPushesAsksTermuxAndForwards_stepByStep() throws Exception {
        Path deb = tmp.resolve("andock_0.2.0_all.deb");
        Files.write(deb, new byte[300_000]);   // bytes of any package: the push is what is tested
        Andock andock = new Andock(tmp.resolve("root"), env);
        String out = andock.ok("device", "setup", "--deb", deb.toString(), "--disable-phantom-killer", "--port", "23750", serial());
        assertThat(out).contains(
                "[1] Android ",
                " (SDK 34)\n[2] Termux is installed\n",
                "[3] done: device_config put activity_manager max_phantom_processes 2147483647\n",
                "[4] done: settings put global settings_enable_monitor_phantom_procs false\n",
                "[5] pushed andock_0.2.0_all.deb to /data/local/tmp/andock_0.2.0_all.deb\n",
                "[6] asked Termux to run: apt install -y /data/local/tmp/andock_0.2.0_all.deb && nohup andock daemon -H tcp://127.0.0.1:23750",
                "[8] forwarded tcp:23750 on this PC to tcp:23750 on " + serial() + "\n");
        assertThat(out).endsWith("export DOCKER_HOST=tcp://127.0.0.1:23750\n");
        Path pushed = localTmp.resolve("andock_0.2.0_all.deb");
        assertThat(Files.readAllBytes(pushed)).isEqualTo(Files.readAllBytes(deb));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pushed))).isEqualTo("rw-r--r--");
        String log = Files.readString(localTmp.resolve("standin.log"));
        assertThat(log).contains("am startservice --user 0 -n com.termux/com.termux.app.RunCommandService -a com.termux.RUN_COMMAND "
                + "--es com.termux.RUN_COMMAND_PATH /data/data/com.termux/files/usr/bin/sh --ez com.termux.RUN_COMMAND_BACKGROUND true "
                + "--esa com.termux.RUN_COMMAND_ARGUMENTS -c,apt install -y /data/local/tmp/andock_0.2.0_all.deb && nohup andock daemon");
        assertThat(Cmd.exec(List.of("adb", "forward", "--list"), env).stdout()).contains(serial() + " tcp:23750 tcp:23750");
    }

    @Test
    void setup_withoutTermux_stopsSayingWhatToDo() throws Exception {
        Files.writeString(localTmp.resolve("no-termux"), "");
        Cmd.Result r = new Andock(tmp.resolve("root"), env).run("device", "setup", serial());
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stdout()).contains("[1] Android ").doesNotContain("[2]");
        assertThat(r.stderr()).isEqualTo("Error: " + serial() + ": Termux is not installed: install it from F-Droid or GitHub "
                + "(not Google Play), open it once, then run this again\n");
    }

    @Test
    void unknownSerial_andNoServer_areOneLineErrors() throws Exception {
        Cmd.Result r = new Andock(tmp.resolve("root"), env).run("device", "setup", "no-such-phone");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).isEqualTo("Error: adb server: device 'no-such-phone' not found\n");
        int nobody = freePort();
        Cmd.Result none = new Andock(tmp.resolve("root"), Map.of("ANDROID_ADB_SERVER_PORT", String.valueOf(nobody))).run("device", "ls");
        assertThat(none.exitCode()).isEqualTo(125);
        assertThat(none.stderr()).isEqualTo("Error: no adb server at 127.0.0.1:" + nobody
                + " (Connection refused); start it with: adb start-server\n");
    }

    void standin(String name, String body) throws IOException {
        Path p = standins.resolve(name);
        Files.writeString(p, "#!/bin/sh\necho \"" + name + " $*\" >> /data/local/tmp/standin.log\n" + body + "exit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitListening(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("fake-adbd did not listen on " + port);
    }
}
