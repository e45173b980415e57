package io.andock.daemon.backend;

import io.andock.daemon.backend.ContainerBackend.Stdio;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When an attach session ends: with its run once started, never because the container directory went. */
class AttachSessionsTest {
    private final AttachSessions sessions = new AttachSessions();
    private final Stdio io = new Stdio(null, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());

    private CompletableFuture<Void> await(AttachSessions.Session s, boolean clientGone, boolean exists) {
        return await(s, clientGone, () -> false, exists);
    }

    private CompletableFuture<Void> await(AttachSessions.Session s, boolean clientGone, BooleanSupplier detached, boolean exists) {
        return CompletableFuture.runAsync(() -> {
            try {
                sessions.await("c1", s, () -> clientGone, detached, id -> exists);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void claimed_outlivesTheContainerDirectory_untilItsRunFinishes() throws Exception {
        AttachSessions.Session s = sessions.register("c1", io);
        assertThat(sessions.claim("c1")).isSameAs(s);
        CompletableFuture<Void> done = await(s, false, false); // --rm: the directory is gone, output still being copied
        assertThatThrownBy(() -> done.get(1200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        s.finished();
        done.get(2, TimeUnit.SECONDS);
    }

    @Test
    void claimed_outlivesTheClientsHalfClose_untilItsRunFinishes() throws Exception {
        AttachSessions.Session s = sessions.register("c1", io);
        sessions.claim("c1");
        CompletableFuture<Void> done = await(s, true, true);
        assertThatThrownBy(() -> done.get(1200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        s.finished();
        done.get(2, TimeUnit.SECONDS);
    }

    @Test
    void claimed_endsWhenTheClientDetaches_itsRunGoingOn() throws Exception {
        AttachSessions.Session s = sessions.register("c1", io);
        sessions.claim("c1");
        java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> done = await(s, false, detached::get, true);
        assertThatThrownBy(() -> done.get(600, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        detached.set(true);
        done.get(2, TimeUnit.SECONDS);
    }

    @Test
    void pending_endsWhenTheContainerGoes_andCannotBeClaimedAfterwards() throws Exception {
        AttachSessions.Session s = sessions.register("c1", io);
        await(s, false, false).get(3, TimeUnit.SECONDS);
        assertThat(sessions.claim("c1")).isNull();
    }

    @Test
    void pending_endsWhenTheClientGoes() throws Exception {
        AttachSessions.Session s = sessions.register("c1", io);
        await(s, true, true).get(3, TimeUnit.SECONDS);
        assertThat(sessions.claim("c1")).isNull();
    }

    @Test
    void pending_endsWhenRemovedOrReplaced() throws Exception {
        AttachSessions.Session first = sessions.register("c1", io);
        CompletableFuture<Void> replaced = await(first, false, true);
        AttachSessions.Session second = sessions.register("c1", io);
        replaced.get(2, TimeUnit.SECONDS);
        CompletableFuture<Void> removed = await(second, false, true);
        sessions.removed("c1");
        removed.get(2, TimeUnit.SECONDS);
        assertThat(sessions.claim("c1")).isNull();
    }
}
