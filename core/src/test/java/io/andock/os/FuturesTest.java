package io.andock.os;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("unit")
class FuturesTest {

    @Test
    void await_returnsWhenTheTaskSucceeded() {
        assertThatCode(() -> Futures.await(CompletableFuture.completedFuture(null), "fetch")).doesNotThrowAnyException();
    }

    @Test
    void await_rethrowsTheEnginesOwnErrorUnchanged() {
        AndockException cause = AndockException.corrupt("digest mismatch");
        CompletableFuture<Void> f = CompletableFuture.failedFuture(cause);
        assertThatThrownBy(() -> Futures.await(f, "fetch")).isSameAs(cause);
    }

    @Test
    void await_wrapsAnyOtherFailureWithTheContext() {
        CompletableFuture<Void> f = CompletableFuture.failedFuture(new IOException("connection reset"));
        assertThatThrownBy(() -> Futures.await(f, "upload"))
                .isInstanceOf(AndockException.class).hasMessageContaining("upload").hasMessageContaining("connection reset");
    }

    @Test
    void await_keepsTheInterruptAndSaysUnavailable() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Futures.await(new CompletableFuture<Void>(), "unpack"))
                    .isInstanceOfSatisfying(AndockException.class,
                            e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.UNAVAILABLE));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
