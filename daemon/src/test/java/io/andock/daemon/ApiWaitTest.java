package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /containers/ID/wait} and {@code /start} over the socket, as the docker CLI and docker-java call them: the
 * daemon's backend goes through core's one wait and core's error kinds, the HTTP layer turns them into statuses.
 */
class ApiWaitTest {
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

    /** {@code curl -X POST PATH}: the status, then the body. */
    static DaemonFixture.Result post(String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}", "--unix-socket",
                f.socket.toString(), "-X", "POST", "http://andock" + path));
        return DaemonFixture.collect(new ProcessBuilder(cmd), null, 60);
    }

    static String status(DaemonFixture.Result r) {
        String out = r.out().strip();
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "NOT-RUNNING", "next_exit"})
    void wait_withAnUnknownCondition_is400(String condition) throws Exception {
        String id = f.run("create", bb, "true").out().strip();
        var r = post("/containers/" + id + "/wait?condition=" + condition);
        assertThat(status(r)).isEqualTo("400");
        assertThat(r.out()).contains("invalid condition: \\\"" + condition + "\\\"");
        assertThat(f.run("rm", id).code()).isZero();
    }

    @Test
    void wait_ofAMissingContainer_is404() throws Exception {
        assertThat(status(post("/containers/" + "d".repeat(64) + "/wait"))).isEqualTo("404");
        assertThat(status(post("/containers/no-such-name/wait"))).isEqualTo("404");
    }

    @Test
    void start_ofARunningContainer_is304_andNextExitWaitsForTheKill() throws Exception {
        String id = f.run("run", "-d", bb, "sleep", "60").out().strip();
        assertThat(status(post("/containers/" + id + "/start"))).isEqualTo("304");
        CompletableFuture<DaemonFixture.Result> w = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/containers/" + id + "/wait?condition=next-exit");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertThat(w).isNotDone();
        assertThat(f.run("kill", id).code()).isZero();
        var r = w.get(30, TimeUnit.SECONDS);
        assertThat(r.out()).contains("\"StatusCode\":137");
        assertThat(status(r)).isEqualTo("200");
        assertThat(f.run("rm", id).code()).isZero();
    }

    @Test
    void wait_removed_ofAnRmContainer_hasItsExitCode() throws Exception {
        String id = f.run("create", "--rm", bb, "sh", "-c", "sleep 1; exit 3").out().strip();
        CompletableFuture<DaemonFixture.Result> w = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/containers/" + id + "/wait?condition=removed");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertThat(status(post("/containers/" + id + "/start"))).isEqualTo("204");
        var r = w.get(30, TimeUnit.SECONDS);
        assertThat(r.out()).contains("\"StatusCode\":3");
    }
}
