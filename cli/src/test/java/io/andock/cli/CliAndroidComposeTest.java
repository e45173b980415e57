package io.andock.cli;

import io.andock.testkit.AndroidSim;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker compose v2 as an unrooted Termux app would run it (shared/android-sim): the daemon under proot on the
 * host's network, and compose's three services (a web server, a client reaching it by service name, a one-shot
 * job the client waits for) finding each other on loopback through their hosts files.
 */
@Tag("android")
class CliAndroidComposeTest {
    static final String DOCKER = "/usr/local/bin/docker";
    static final Path COMPOSE = Path.of(System.getProperty("user.home"), ".cache/andock-ci/bin/docker-compose");

    @Test
    void composeV2_threeServices_byServiceName_asAnUnrootedApp(@TempDir Path tmp) throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        assumeTrue(Files.isExecutable(Path.of(DOCKER)), "no docker CLI at " + DOCKER + ": skipped");
        assumeTrue(Files.isExecutable(COMPOSE), "docker compose v2 is not built (.ci/run builds it into " + COMPOSE.getParent() + ")");
        Fixtures.assumeAvailable();
        TestRegistry registry = TestRegistry.shared();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }

        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        Path data = app.data();
        Files.createDirectories(data.resolve("files/usr/tmp"));
        // the app reads only its own data dir: the plugin goes where the docker CLI looks for it, $HOME/.docker
        Path plugins = Files.createDirectories(data.resolve("files/home/.docker/cli-plugins"));
        Files.copy(COMPOSE, plugins.resolve("docker-compose"));
        Path project = Files.createDirectories(data.resolve("files/home/proj"));
        Files.writeString(project.resolve("compose.yaml"), """
                services:
                  web:
                    image: %s
                    command: ["-p", "%d", "-h", "/www"]
                  migrate:
                    image: %s
                    command: ["sh", "-c", "echo migrated"]
                  client:
                    image: %s
                    depends_on:
                      web:
                        condition: service_started
                      migrate:
                        condition: service_completed_successfully
                    command:
                      - sh
                      - -c
                      - for i in $$(seq 1 60); do wget -qO- http://web:%d/ && break; sleep 1; done; echo client-done; exec sleep 600
                """.formatted(registry.ref("busybox:configured"), port, registry.ref("busybox:latest"), registry.ref("busybox:latest"), port));
        app.ownAll();
        String script = String.join("\n",
                "A=\"" + app.command() + "\"",
                "S=$PREFIX/tmp/andock.sock",
                "export DOCKER_HOST=unix://$S DOCKER_CONFIG=$HOME/.docker",
                "unset DOCKER_API_VERSION DOCKER_CONTEXT",
                "$A daemon -H unix://$S >$HOME/daemon.log 2>&1 &",
                "pid=$!",
                "i=0; while [ ! -S $S ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done",
                "[ -S $S ] || { echo no socket; cat $HOME/daemon.log; kill $pid; exit 1; }",
                "cd $HOME/proj",
                "C='docker compose -p phone'",
                "$C up -d; echo \"up rc=$?\"",
                "i=0; until $C logs --no-color client 2>&1 | grep -q client-done || [ $i -ge 120 ]; do sleep 0.5; i=$((i+1)); done",
                "$C logs --no-color client",
                "$C ps --format '{{.Service}} {{.State}}' | sort",
                "$C exec -T client wget -qO- http://web:" + port + "/; echo \"exec rc=$?\"",
                "$C exec -T client cat /etc/hosts",
                "$C down -v -t 2; echo \"down rc=$?\"",
                "docker ps -aq | wc -l",
                "kill $pid; wait $pid",
                "echo '--- daemon log'; cat $HOME/daemon.log",
                "echo done");
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", data.toString(), "--", "sh", "-c", script);
        String out = r.stdout();
        assertThat(out).as(r.stderr()).contains("up rc=0\n", "client-done", "client running\nweb running\n", "exec rc=0\n",
                "down rc=0\n", "\n0\n", "done\n");
        assertThat(out).as(r.stderr()).containsPattern("hello from andock busybox:configured[\\s\\S]*client-done");
        assertThat(out).as(r.stderr()).containsPattern("127\\.0\\.0\\.1\\s+phone-web-1 web ");
    }
}
