package io.andock.hub;

import java.util.function.LongSupplier;

/**
 * Gives memory back once the hub goes quiet. The serial collector shrinks the heap (to {@code MaxHeapFreeRatio})
 * only in a full collection, and an idle hub allocates nothing that would start one: the heap a burst of pushes
 * and pulls grew would stay committed for good. Run every few seconds: after a period with requests followed by a
 * whole period without, it asks for one full collection (a few milliseconds on the hub's small heap).
 */
final class IdleMemory implements Runnable {
    private final LongSupplier requests;
    private long seen = -1;
    private boolean busySinceCollect;

    IdleMemory(LongSupplier requests) {
        this.requests = requests;
    }

    @Override
    public void run() {
        long n = requests.getAsLong();
        if (n != seen) {
            seen = n;
            busySinceCollect = true;
        } else if (busySinceCollect) {
            busySinceCollect = false;
            System.gc();
        }
    }
}
