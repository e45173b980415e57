package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.os.ProcessTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's one wait, on container directories written by hand as the monitor writes them: a state.json, the
 * monitor's exit file, the tombstone a {@code --rm} monitor leaves. The "monitor" is this JVM, so it stays alive.
 */
@Tag("unit")
@Timeout(30)
class ExitWaiterTest {
    static final String ID = "c".repeat(64);
    @TempDir
    Path root;
    ContainerStore store;
    ExitWaiter waiter;
    ContainerDir dir;

    @BeforeEach
    void setUp() throws Exception {
        store = new ContainerStore(root);
        waiter = new ExitWaiter(store);
        dir = store.dir(ID);
        Files.createDirectories(dir.path());
    }

    void running() throws Exception {
        long self = ProcessHandle.current().pid();
        ContainerStore.write(dir.state(), new ContainerState("running", self, self, ProcessTable.startTime(self),
                ProcessTable.bootId(), 0, Instant.now().toString(), ContainerState.ZERO_TIME, ""));
    }

    void exited(int code) throws Exception {
        ContainerStore.write(dir.state(), ContainerState.created().exited(code, Instant.now().toString(), ""));
    }

    ExitWaiter.Exit await(ExitWaiter.Condition c) {
        return waiter.await(ID, c, () -> false, ExitWaiter.KnownExits.NONE);
    }

    @Test
    void parse_docksConditions_andRefusesOthersAsInvalid() {
        assertThat(ExitWaiter.Condition.parse(null)).isEqualTo(ExitWaiter.Condition.NOT_RUNNING);
        assertThat(ExitWaiter.Condition.parse("")).isEqualTo(ExitWaiter.Condition.NOT_RUNNING);
        assertThat(ExitWaiter.Condition.parse("not-running")).isEqualTo(ExitWaiter.Condition.NOT_RUNNING);
        assertThat(ExitWaiter.Condition.parse("next-exit")).isEqualTo(ExitWaiter.Condition.NEXT_EXIT);
        assertThat(ExitWaiter.Condition.parse("removed")).isEqualTo(ExitWaiter.Condition.REMOVED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "NOT-RUNNING", "not_running", "removed ", "next-exit\n"})
    void parse_refusesEveryOtherCondition(String condition) {
        assertThatThrownBy(() -> ExitWaiter.Condition.parse(condition)).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
    }

    @Test
    void notRunning_returnsAnExitedContainersCodeAtOnce() throws Exception {
        exited(3);
        assertThat(await(ExitWaiter.Condition.NOT_RUNNING).code()).isEqualTo(3);
    }

    @Test
    void notRunning_waitsForTheMonitorsExitFile() throws Exception {
        running();
        CompletableFuture<ExitWaiter.Exit> w = CompletableFuture.supplyAsync(() -> await(ExitWaiter.Condition.NOT_RUNNING));
        Thread.sleep(200);
        assertThat(w).isNotDone();
        Files.writeString(dir.exit(), "7 " + Instant.now().getEpochSecond() + "\n");
        assertThat(w.get(10, TimeUnit.SECONDS).code()).isEqualTo(7);
    }

    @Test
    void nextExit_ignoresTheLastRun_andReturnsTheNextOnesCode() throws Exception {
        exited(1);
        CompletableFuture<ExitWaiter.Exit> w = CompletableFuture.supplyAsync(() -> await(ExitWaiter.Condition.NEXT_EXIT));
        Thread.sleep(200);
        assertThat(w).isNotDone();
        Thread.sleep(1000); // a finishedAt of another second
        exited(5);
        assertThat(w.get(10, TimeUnit.SECONDS).code()).isEqualTo(5);
    }

    @Test
    void removed_returnsTheTombstoneItsMonitorLeft() throws Exception {
        running();
        CompletableFuture<ExitWaiter.Exit> w = CompletableFuture.supplyAsync(() -> await(ExitWaiter.Condition.REMOVED));
        Thread.sleep(100);
        Files.createDirectories(root.resolve("containers/.exited"));
        Files.writeString(root.resolve("containers/.exited").resolve(ID), "42 0\n");
        store.delete(ID);
        assertThat(w.get(10, TimeUnit.SECONDS).code()).isEqualTo(42);
    }

    @Test
    void exitFileOfARunningContainer_endsTheWait_andAfterRemovalWithoutTombstoneTheCodeIsZero() throws Exception {
        running();
        Files.writeString(dir.exit(), "9 0\n");
        // the store reconciles at once: state says exited 9; remove it before a not-running wait would see it
        ExitWaiter.Exit seen = await(ExitWaiter.Condition.NOT_RUNNING);
        assertThat(seen.code()).isEqualTo(9);
        store.delete(ID);
        assertThat(await(ExitWaiter.Condition.REMOVED).code()).isZero();
    }

    @Test
    void aCallersKnownCode_winsOverTheStore_andAPendingOneIsAwaited() throws Exception {
        exited(0);
        store.delete(ID);
        AtomicBoolean arrived = new AtomicBoolean();
        ExitWaiter.KnownExits known = new ExitWaiter.KnownExits() {
            @Override
            public Integer code(String id) {
                return arrived.get() ? 12 : null;
            }

            @Override
            public boolean pending(String id) {
                return true;
            }
        };
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // the wait then reports the tombstone's code
            }
            arrived.set(true);
        });
        assertThat(waiter.await(ID, ExitWaiter.Condition.NOT_RUNNING, () -> false, known).code()).isEqualTo(12);
    }

    @Test
    void cancelled_returnsNull() throws Exception {
        running();
        AtomicBoolean gone = new AtomicBoolean();
        CompletableFuture<ExitWaiter.Exit> w = CompletableFuture.supplyAsync(
                () -> waiter.await(ID, ExitWaiter.Condition.NOT_RUNNING, gone::get, ExitWaiter.KnownExits.NONE));
        Thread.sleep(100);
        gone.set(true);
        assertThat(w.get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void awaitNotRunning_isBounded() throws Exception {
        running();
        long t0 = System.nanoTime();
        assertThat(waiter.awaitNotRunning(ID, 100)).isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
        exited(0);
        assertThat(waiter.awaitNotRunning(ID, 100)).isTrue();
    }
}
