package io.andock.net;

import io.andock.container.PortBinding;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which leases a sweep undoes, decided from the owner's directory alone; no root, no network. */
@Tag("unit")
class LeasesTest {
    @TempDir
    Path tmp;

    @Test
    void sweep_undoesLeasesOfGoneExitedOrDeadContainers_keepsLiveAndStartingOnes() throws Exception {
        Leases leases = new Leases(tmp.resolve("host"));
        Path containers = Files.createDirectories(tmp.resolve("root/containers"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();

        Path gone = containers.resolve("gone");                                   // removed, or its root deleted
        Path exited = Files.createDirectories(containers.resolve("exited"));
        Files.writeString(exited.resolve("exit"), "0\n");
        Path killed = Files.createDirectories(containers.resolve("killed"));        // kill -9: no exit file, pid dead
        Files.writeString(killed.resolve("pid"), ended.pid() + "\n");
        Path live = Files.createDirectories(containers.resolve("live"));
        Files.writeString(live.resolve("pid"), ProcessHandle.current().pid() + "\n");
        Path starting = Files.createDirectories(containers.resolve("starting"));  // between up and the pid file

        for (Path owner : List.of(gone, exited, killed, live, starting)) {
            Path l = leases.create(owner.getFileName().toString(), owner, List.of());
            Path marker = tmp.resolve("released-" + owner.getFileName());
            Files.writeString(l.resolve("down.sh"), "touch '" + marker + "'\nrm -f '" + l + "'/* && rmdir '" + l + "'\n");
        }
        Files.createDirectories(tmp.resolve("host/leases/halfmade")); // create cut short: no lease.json

        assertThat(leases.sweep()).isEqualTo(4);
        assertThat(leases.list()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("live", "starting");
        for (String s : List.of("gone", "exited", "killed")) assertThat(tmp.resolve("released-" + s)).as(s).exists();
        assertThat(tmp.resolve("released-live")).doesNotExist();
    }

    @Test
    void portsInUse_areEveryOtherLeasesPorts() {
        Leases leases = new Leases(tmp.resolve("host"));
        Path a = tmp.resolve("r1/containers/a"), b = tmp.resolve("r2/containers/b");
        leases.create("a", a, List.of(new PortBinding("", 8080, 80, "tcp")));
        leases.create("b", b, List.of(new PortBinding("127.0.0.1", 9090, 90, "udp")));
        assertThat(leases.portsInUse(a)).containsExactly(new PortBinding("127.0.0.1", 9090, 90, "udp"));
        assertThat(leases.portsInUse(tmp.resolve("r3/containers/c"))).hasSize(2);
    }

    @Test
    void create_replacesALeftoverLeaseOfTheSameContainer_afterUndoingIt() throws Exception {
        Leases leases = new Leases(tmp.resolve("host"));
        Path owner = Files.createDirectories(tmp.resolve("r/containers/x"));
        Path l = leases.create("x", owner, List.of());
        Files.writeString(l.resolve("down.sh"), "touch '" + tmp.resolve("undone") + "'\n");
        leases.create("x", owner, List.of());
        assertThat(tmp.resolve("undone")).exists();
        assertThat(l.resolve("down.sh")).doesNotExist();
        assertThat(Leases.owner(l)).isEqualTo(owner);
    }
}
