package io.andock.cli;

import io.andock.testkit.AndroidSim;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code andock build} as an unrooted Termux app runs it (shared/android-sim: uid 10234, no capabilities, Android's
 * app seccomp policy, no user namespaces, link() refused): proot chosen by itself runs the RUN steps, and the built
 * image runs.
 */
@Tag("android")
class CliAndroidBuildTest {

    @Test
    void build_thenRun_asAnUnrootedApp(@TempDir Path tmp) throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim, or -Dandock.androidSim=DIR): skipped");
        Fixtures.assumeAvailable();
        TestRegistry registry = TestRegistry.shared();
        String image = registry.host() + "/busybox:latest";

        // The app can read only its own data dir: the classpath and the build context ($HOME/app inside) go there.
        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        Path data = app.data();
        Path ctx = Files.createDirectories(data.resolve("files/home/app"));
        Files.writeString(ctx.resolve("greeting.txt"), "hello from the context\n");
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + image,
                "COPY greeting.txt /app/",
                "RUN echo \"built by RUN as uid $(id -u)\" > /app/run.txt",
                "RUN cat /app/greeting.txt /app/run.txt > /app/all.txt && rm /app/run.txt",
                "CMD [\"sh\", \"-c\", \"cat /app/all.txt; ls /app\"]") + "\n");
        app.ownAll();
        String andock = app.command();
        String script = String.join("\n",
                "A=\"" + andock + "\"",
                "echo \"uid=$(id -u)\"",
                "$A info --format 'driver={{.Driver}}'",
                "$A pull -q " + image + "; echo \"pull rc=$?\"",
                "$A build -t app:1 $HOME/app; echo \"build rc=$?\"",
                "$A run --rm app:1; echo \"run rc=$?\"",
                "$A images --format '{{.Repository}}:{{.Tag}}' | grep '^app:1$'",
                "echo done");
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", data.toString(), "--", "sh", "-c", script);
        String out = r.stdout();
        assertThat(r.exitCode()).as(r.stderr() + out).isZero();
        assertThat(out).as(r.stderr()).contains("uid=10234\n", "driver=proot\n", "pull rc=0\n", "build rc=0\n",
                "hello from the context\nbuilt by RUN as uid 0\nall.txt\ngreeting.txt\nrun rc=0\n", "app:1\n", "done\n");
    }
}
