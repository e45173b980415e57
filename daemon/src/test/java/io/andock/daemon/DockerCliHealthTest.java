package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health checks through the real docker CLI: {@code --health-*} and an image's {@code HEALTHCHECK}, the status in
 * {@code ps} and {@code inspect}, the {@code health_status} events, {@code --no-healthcheck} and the timeout.
 */
class DockerCliHealthTest {
    static DaemonFixture f;
    static String bb;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        bb = f.image("busybox");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static String health(String name) throws Exception {
        return f.run("inspect", "-f", "{{.State.Health.Status}}", name).out().trim();
    }

    private static boolean await(String name, String status) throws Exception {
        for (int i = 0; i < 150 && !health(name).equals(status); i++) Thread.sleep(100);
        return health(name).equals(status);
    }

    @Test
    void healthCmd_startsUnhealthy_becomesHealthy_inPsInspectAndEvents() throws Exception {
        var run = f.run("run", "-d", "--name", "hc-flags", "--health-cmd", "cat /tmp/ready", "--health-interval", "200ms",
                "--health-retries", "2", bb, "sh", "-c", "sleep 2; echo yes >/tmp/ready; sleep 120");
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(await("hc-flags", "unhealthy")).isTrue();
        assertThat(f.run("ps", "--filter", "name=hc-flags", "--format", "{{.Status}}").out()).contains("(unhealthy)");
        assertThat(await("hc-flags", "healthy")).isTrue();
        assertThat(f.run("ps", "--filter", "name=hc-flags", "--format", "{{.Status}}").out()).contains("(healthy)");
        assertThat(f.run("ps", "-q", "--filter", "health=healthy").out()).isNotBlank();
        String log = f.run("inspect", "-f", "{{json .State.Health}}", "hc-flags").out();
        assertThat(log).contains("\"FailingStreak\":0").contains("\"ExitCode\":0").contains("\"Output\":\"yes\\n\"");
        assertThat(f.run("inspect", "-f", "{{json .Config.Healthcheck}}", "hc-flags").out())
                .contains("\"Test\":[\"CMD-SHELL\",\"cat /tmp/ready\"]").contains("\"Interval\":200000000").contains("\"Retries\":2");
        // the daemon looks at its containers' health once a second: the event may follow inspect by that much
        String events = "";
        for (int i = 0; i < 50 && !events.contains("health_status: healthy"); i++, Thread.sleep(100)) {
            events = f.run("events", "--since", "0", "--until", "0s", "--filter", "container=hc-flags", "--format", "{{.Action}}").out();
        }
        assertThat(events).contains("health_status: unhealthy").contains("health_status: healthy");
        var rm = f.run("rm", "-f", "hc-flags");
        assertThat(rm.code()).as(rm.all()).isZero();
    }

    @Test
    void anImagesHealthcheck_runs_andNoHealthcheckTurnsItOff(@TempDir Path ctx) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + bb + "\nHEALTHCHECK --interval=200ms --timeout=3s CMD true\n");
        var build = f.run("build", "-q", "-t", "hc-image:1", ctx.toString());
        assertThat(build.code()).as(build.all()).isZero();
        assertThat(f.run("run", "-d", "--name", "hc-image", "hc-image:1", "sleep", "120").code()).isZero();
        assertThat(await("hc-image", "healthy")).isTrue();
        assertThat(f.run("run", "-d", "--name", "hc-off", "--no-healthcheck", "hc-image:1", "sleep", "120").code()).isZero();
        Thread.sleep(800);
        assertThat(f.run("inspect", "-f", "{{json .State.Health}}", "hc-off").out().trim()).isEqualTo("null");
        assertThat(f.run("ps", "--filter", "name=hc-off", "--format", "{{.Status}}").out()).doesNotContain("health");
        assertThat(f.run("rm", "-f", "hc-image", "hc-off").code()).isZero();
    }

    @Test
    void aCheckPastItsTimeout_isUnhealthy_withDockersMessage() throws Exception {
        assertThat(f.run("run", "-d", "--name", "hc-slow", "--health-cmd", "sleep 30", "--health-interval", "100ms",
                "--health-timeout", "300ms", "--health-retries", "1", bb, "sleep", "120").code()).isZero();
        assertThat(await("hc-slow", "unhealthy")).isTrue();
        assertThat(f.run("inspect", "-f", "{{json .State.Health.Log}}", "hc-slow").out())
                .contains("\"ExitCode\":-1").contains("Health check exceeded timeout (300ms)");
        assertThat(f.run("rm", "-f", "hc-slow").code()).isZero();
    }
}
