package io.andock.host;

import io.andock.json.JsonObject;
import io.andock.os.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The probe as an unrooted Termux app sees the machine, through {@code /work/shared/android-sim/run-as-app}
 * (uid 10234, no capabilities, Android's seccomp allowlist, no user namespaces, /proc/config.gz unreadable).
 * ProbeMain's classes are "installed" into the app's {@code $PREFIX/lib} of a fresh app data dir, which
 * run-as-app hands to the app uid, so the test does not depend on the checkout being readable by others.
 */
@Tag("android")
class AndroidSimTest {

    static final Path SIM = java.util.Objects.requireNonNullElse(io.andock.testkit.AndroidSim.dir(), Path.of("/nonexistent/android-sim"));
    static final String APP_LIB = "/data/data/com.termux/files/usr/lib/andock-probe";

    @TempDir
    Path data;

    /** run-as-app links $PREFIX/bin/sh to the host's /bin/sh; unlink it so that the temp dir cleanup stays quiet. */
    @AfterEach
    void unlinkShell() throws IOException {
        Files.deleteIfExists(data.resolve("files/usr/bin/sh"));
    }

    @Test
    void unrootedTermuxApp_getsProot_androidDetected_noUserNamespaces_configUnreadable() throws Exception {
        JsonObject info = runProbe("--action", "trap");
        assertThat(info.string("Driver")).isEqualTo("proot");
        assertThat(info.bool("Rootless")).isTrue();
        assertThat(info.number("Uid", -1)).isEqualTo(10234);
        JsonObject android = info.object("Android");
        assertThat(android.bool("Android")).isTrue();
        assertThat(android.bool("Termux")).isTrue();
        assertThat(android.number("Sdk", 0)).isEqualTo(34);
        assertThat(info.object("UserNamespaces").string("State")).isEqualTo("no");
        assertThat(info.object("UserNamespaces").string("Reason")).contains("unshare -U -r true");
        assertThat(info.object("Namespaces").string("State")).isEqualTo("no");
        assertThat(info.object("KernelConfig").bool("Readable")).isFalse();
        assertThat(info.object("KernelConfig").string("UnreadableReason")).contains("/proc/config.gz: permission denied");
        assertThat(info.object("Process").string("Seccomp")).isEqualTo("filter");
        assertThat(info.string("DriverReason")).contains("not oci: not root (uid 10234) and no user namespaces")
                .contains("not chroot: needs root");
        assertThat(info.strings("Notes")).anySatisfy(n -> assertThat(n).contains("max_phantom_processes"));
    }

    @Test
    void forcingOciAsAnApp_isReportedAsImpossible() throws Exception {
        JsonObject info = runProbe("--driver", "oci");
        assertThat(info.string("Driver")).isEqualTo("none");
        assertThat(info.string("DriverReason")).startsWith("driver oci: not root (uid 10234) and no user namespaces")
                .contains("Android gives apps no user namespaces");
    }

    /** Runs ProbeMain --json under run-as-app with the given run-as-app options (first) or probe options. */
    private JsonObject runProbe(String... opts) throws Exception {
        assumeTrue(Files.isExecutable(SIM.resolve("run-as-app")),
                "android-sim not found at " + SIM + " (set -Dandock.androidSim=DIR): skipping the Android simulation");
        assumeTrue(ProcStatus.parse(Files.readString(Path.of("/proc/self/status"))).isRoot(),
                "run-as-app needs root to switch to the app uid: skipping the Android simulation");
        installClasses();
        List<String> sim = new ArrayList<>();
        List<String> probe = new ArrayList<>();
        for (int i = 0; i < opts.length; i += 2) {
            (opts[i].equals("--action") ? sim : probe).addAll(List.of(opts[i], opts[i + 1]));
        }
        List<String> argv = new ArrayList<>(List.of(SIM.resolve("run-as-app").toString(), "--data", data.toString()));
        argv.addAll(sim);
        argv.addAll(List.of("--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", APP_LIB, "io.andock.host.ProbeMain", "--json", "--cache", "/data/data/com.termux/files/home/.cache/andock"));
        argv.addAll(probe);
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        CommandRunner.Drain err = new CommandRunner.Drain(p.getErrorStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("run-as-app finished").isTrue();
        assertThat(p.exitValue()).as("exit of run-as-app; stderr: " + err.text()).isZero();
        return JsonObject.parse(out.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies the compiled main classes into the app's $PREFIX/lib (run-as-app chowns the data dir to the app). */
    private void installClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(ProbeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.isDirectory(classes), "classes are not a directory: " + classes);
        Path lib = data.resolve("files/usr/lib/andock-probe");
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path src : (Iterable<Path>) s::iterator) {
                Path dst = lib.resolve(classes.relativize(src).toString());
                if (Files.isDirectory(src)) Files.createDirectories(dst);
                else Files.copy(src, dst);
            }
        }
    }
}
