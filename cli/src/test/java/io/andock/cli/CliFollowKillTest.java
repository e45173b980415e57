package io.andock.cli;

import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent killed with SIGKILL at random moments of an update ({@code --update restart}): right after each kill the
 * old image and its container are intact (under its name or the swap's temporary one), and once an agent runs again
 * the new version ends applied exactly once: one container named {@code app}, on the new image, running, nothing left
 * of the swap, the journal gone. Rounds: {@code -Dandock.follow.killRounds} (default 20); the seed is printed;
 * {@code -Dandock.follow.killWindow=FROM:TO} (ms after the push, default 0:4000) aims the kills at one part of it.
 */
@Tag("registry")
class CliFollowKillTest {
    @TempDir
    Path tmp;

    @Test
    void killedAtRandomMomentsOfAnUpdate_theOldStaysIntact_andTheNewIsAppliedOnce() throws Exception {
        Fixtures.assumeAvailable();
        int rounds = Integer.getInteger("andock.follow.killRounds", 20);
        long seed = Long.getLong("andock.follow.seed", System.nanoTime());
        System.out.println("kill rounds: " + rounds + ", seed " + seed);
        Random random = new Random(seed);
        String[] window = System.getProperty("andock.follow.killWindow", "0:4000").split(":"); // ms after the push
        int windowFrom = Integer.parseInt(window[0]), windowTo = Integer.parseInt(window[1]);
        try (FleetRig rig = new FleetRig(tmp)) {
            rig.startHub();
            rig.push("v1", "team/app:stable");
            String ref = rig.host() + "/team/app:stable";
            Path root = tmp.resolve("device");
            Andock device = new Andock(root);
            device.ok("run", "-d", "--name", "app", ref);
            device.ok("follow", ref, "--update", "restart", "--grace", "2");
            Process agent = rig.startAgent(root);
            FleetRig.await("the device's first report", Duration.ofSeconds(60),
                    () -> new Andock(rig.hubRoot).run("hub", "devices", "--format", "json").stdout().contains("team/app:stable"));
            String version = "1";
            int midUpdate = 0;
            for (int round = 1; round <= rounds; round++) {
                String next = version.equals("1") ? "2" : "1";
                String oldImage = device.ok("inspect", "--format", "{{.Id}}", ref).strip();
                rig.push("v" + next, "team/app:stable");
                long delay = windowFrom + random.nextInt(windowTo - windowFrom);
                Thread.sleep(delay);
                agent.destroyForcibly();
                agent.waitFor();
                Path journal = root.resolve("follow/journal.json");
                String phase = Files.exists(journal) ? io.andock.json.JsonObject.parse(Files.readAllBytes(journal)).string("phase", "?") : null;
                if (phase != null) midUpdate++;
                // the old image and its container are intact, whatever the moment
                assertThat(device.run("inspect", oldImage).exitCode()).as("round %d (kill after %d ms): old image", round, delay).isZero();
                List<String> names = device.ok("ps", "-a", "--format", "{{.Names}}").lines().toList();
                assertThat(names).as("round %d (kill after %d ms): containers", round, delay).containsAnyOf("app", "app" + "-andock-prev");
                int before = count(FleetRig.log(root), "restarted 1 container on");
                agent = rig.startAgent(root);
                String want = rig.digestOf("v" + next);
                FleetRig.await("round " + round + ": v" + next + " applied", Duration.ofSeconds(120),
                        () -> device.ok("follow", "ls").contains(want) && !Files.exists(root.resolve("follow/journal.json")));
                assertThat(device.ok("ps", "-a", "--format", "{{.Names}} {{.State}}").lines().toList())
                        .as("round %d (kill after %d ms, %s)\n%s", round, delay, phase, FleetRig.log(root)).containsExactly("app running");
                assertThat(device.ok("exec", "app", "cat", "/etc/app-version").strip()).as("round %d", round).isEqualTo(next);
                assertThat(count(FleetRig.log(root), "restarted 1 container on") - before).as("round %d: applied at most once after the kill", round).isLessThanOrEqualTo(1);
                System.out.printf("round %d: killed %d ms after the push (%s); %s%n", round, delay,
                        phase == null ? "no update under way" : "in the update's " + phase + " phase", device.ok("follow", "ls").lines().skip(1).findFirst().orElse(""));
                version = next;
            }
            System.out.println(midUpdate + " of " + rounds + " kills hit an update under way");
            if (rounds >= 10) assertThat(midUpdate).as("kills in the middle of an update").isPositive();
            device.ok("rm", "-f", "app");
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }
}
