package io.andock.task;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker top's parsing of ps output, as dockerd parses it. */
@Tag("unit")
class ContainerTopTest {
    static final String PS = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 14:00 ?        00:00:01 /sbin/init
            root         200       1  0 14:01 ?        00:00:00 sleep 300
            1000         201     200  0 14:01 pts/0    00:00:00 sh -c echo a  b
            """;

    @Test
    void parse_keepsTheContainersRows_andTheCommandWhole() {
        ContainerTop.Table t = ContainerTop.parse(PS, Set.of(200L, 201L));
        assertThat(t.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(t.processes()).containsExactly(
                List.of("root", "200", "1", "0", "14:01", "?", "00:00:00", "sleep 300"),
                List.of("1000", "201", "200", "0", "14:01", "pts/0", "00:00:00", "sh -c echo a b"));
    }

    @Test
    void parse_withoutAPidColumn_isRefusedAsDockerdDoes() {
        assertThatThrownBy(() -> ContainerTop.parse("USER COMMAND\nroot init\n", Set.of(1L)))
                .isInstanceOf(AndockException.class).hasMessage("Couldn't find PID field in ps output");
    }

    @Test
    void pids_ofTheTestProcessesChildren_areItsDescendants() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
        try {
            long sleep = 0;
            for (int i = 0; i < 200 && sleep == 0; i++) {
                List<Long> kids = io.andock.os.ProcessTable.descendants(p.pid());
                if (!kids.isEmpty()) sleep = kids.get(0);
                else Thread.sleep(10);
            }
            assertThat(ContainerTop.pids(new io.andock.container.ContainerDir(java.nio.file.Path.of("/nonexistent")), p.pid()))
                    .contains(sleep).doesNotContain(p.pid());
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
