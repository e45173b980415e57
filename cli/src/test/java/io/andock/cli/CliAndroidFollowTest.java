package io.andock.cli;

import io.andock.testkit.AndroidSim;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A simulated unrooted phone (run-as-app: an app's uid, its data dir only, the proot driver) follows a tag on a hub
 * with {@code --update restart}: its agent ({@code andock follow --agent}) swaps the container when skopeo pushes v2.
 */
@Tag("android")
class CliAndroidFollowTest {
    @TempDir
    Path tmp;

    @Test
    void anUnrootedPhone_followsATag_andRestartsItsContainer_underProot() throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        Fixtures.assumeAvailable();
        try (FleetRig rig = new FleetRig(tmp)) {
            rig.startHub();
            rig.push("v1", "team/app:stable");
            String ref = rig.host() + "/team/app:stable";
            AndroidApp app = new AndroidApp(tmp.resolve("phone"));
            app.ownAll();
            String script = String.join("\n",
                    "A=\"" + app.command() + "\"",
                    "$A info --format 'driver={{.Driver}}'",
                    "$A run -d --name app " + ref + " >/dev/null; echo \"run rc=$?\"",
                    "$A follow " + ref + " --update restart --grace 2",
                    "$A follow --agent >$HOME/agent.log 2>&1 &",
                    "agent=$!",
                    "i=0; until $A follow ls | grep -q 'restarted 1 container'; do i=$((i+1)); [ $i -gt 120 ] && break; sleep 1; done",
                    "$A follow ls",
                    "echo \"version=$($A exec app cat /etc/app-version)\"",
                    "kill $agent; wait $agent",
                    "$A rm -f app >/dev/null",
                    "echo done");
            Process phone = new ProcessBuilder(sim.toString(), "--data", app.data().toString(), "--", "sh", "-c", script)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("phone.out").toFile()).start();
            try {
                FleetRig.await("the phone's first report", Duration.ofMinutes(3),
                        () -> new Andock(rig.hubRoot).run("hub", "devices", "--format", "json").stdout().contains("team/app:stable"));
                rig.push("v2", "team/app:stable");
                assertThat(phone.waitFor(4, TimeUnit.MINUTES)).as("the phone's script ended").isTrue();
            } finally {
                phone.destroyForcibly();
            }
            String out = Files.readString(tmp.resolve("phone.out"));
            assertThat(out).contains("driver=proot", "run rc=0", "restarted 1 container on " + rig.digestOf("v2").substring(7, 19), "version=2", "done");
            assertThat(new Andock(rig.hubRoot).ok("hub", "devices")).contains("proot").contains("restarted 1 container");
        }
    }
}
