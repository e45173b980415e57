package io.andock.cli;

import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --link} and {@code rm --link} in the CLI under proot: the host's network, so the alias is loopback. */
@Tag("registry")
class CliLinksTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    @Test
    void link_underProot_aliasIsLoopback_andVariablesAreSet() {
        Andock andock = new Andock(tmp.resolve("root"));
        String bb = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", bb);
        andock.ok("--driver", "proot", "create", "--name", "db", "-e", "K=v", bb, "true");
        String out = andock.ok("--driver", "proot", "run", "--name", "web", "--link", "db:store", bb, "sh", "-c",
                "echo $STORE_NAME $STORE_ENV_K; grep -w store /etc/hosts");
        assertThat(out).isEqualTo("/web/store v\n127.0.0.1\tstore db\n");
        assertThat(andock.ok("inspect", "-f", "{{json .HostConfig.Links}}", "web").trim()).isEqualTo("[\"/db:/web/store\"]");
        andock.ok("rm", "--link", "/web/store");
        assertThat(andock.ok("inspect", "-f", "{{json .HostConfig.Links}}", "web").trim()).isEqualTo("null");
        andock.ok("rm", "-f", "web", "db");
    }
}
