package io.andock.transfer;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.content.Ingest;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.os.Futures;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local content store as a destination. Besides storing, it lets a reader {@link #follow} a layer while it
 * is still being written, so the unpacker consumes layer 1 as it downloads and the later layers as they arrive.
 * It remembers which blobs this copy created ({@link #created()}), so a caller can remove them again when the
 * image turns out unusable (a diff_id lie found while unpacking).
 */
public final class StoreDestination implements ImageDestination {
    private final ContentStore content;
    private final Map<Digest, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
    private final Map<Digest, CompletableFuture<Void>> finished = new ConcurrentHashMap<>();
    private final Set<Digest> created = ConcurrentHashMap.newKeySet();
    private volatile Throwable aborted;

    public StoreDestination(ContentStore content) {
        this.content = content;
    }

    @Override
    public String describe() {
        return "local store";
    }

    /** Blobs this copy added to the store (not those it found there). */
    public List<Digest> created() {
        return List.copyOf(created);
    }

    @Override
    public boolean tryReuse(Descriptor blob) {
        if (!content.exists(blob.digest())) return false;
        long have = content.size(blob.digest());
        if (have != blob.size()) {
            throw AndockException.corrupt("size " + blob.size() + " expected, " + have + " stored");
        }
        future(started, blob.digest()).complete(null);
        future(finished, blob.digest()).complete(null);
        return true;
    }

    @Override
    public void putBlob(Descriptor blob, BlobOpener from) {
        Digest d = blob.digest();
        try (Ingest ingest = content.begin(blob)) {
            future(started, d).complete(null);
            if (!ingest.alreadyExists()) {
                try (InputStream in = from.open(ingest.offset(), ingest.offset() == 0 ? null : ingest.hashState())) {
                    ingest.write(in);
                }
                ingest.commit();
                created.add(d);
            }
            future(finished, d).complete(null);
        } catch (Exception e) {
            future(started, d).completeExceptionally(e);
            future(finished, d).completeExceptionally(e);
            throw e instanceof RuntimeException r ? r : AndockException.wrap("store " + d, e);
        }
    }

    /**
     * A stream over a layer of this copy, usable before the layer is complete: waits until its ingest started,
     * then follows it; fails when the ingest or the copy fails.
     */
    public InputStream follow(Descriptor blob) {
        Digest d = blob.digest();
        Futures.await(future(started, d), "fetch");
        Optional<InputStream> s = content.follow(d);
        if (s.isPresent()) return s.get();
        Futures.await(future(finished, d), "fetch");
        return content.open(d);
    }

    private CompletableFuture<Void> future(Map<Digest, CompletableFuture<Void>> m, Digest d) {
        CompletableFuture<Void> f = m.computeIfAbsent(d, k -> new CompletableFuture<>());
        Throwable a = aborted;
        if (a != null) f.completeExceptionally(a);
        return f;
    }

    @Override
    public void putManifest(RawManifest manifest) {
        if (content.exists(manifest.digest())) return;
        Descriptor d = content.write(manifest.bytes(), manifest.mediaType());
        if (!d.digest().equals(manifest.digest())) {
            throw new AndockException(AndockException.Kind.INTERNAL, "manifest digest changed while storing");
        }
        created.add(d.digest());
    }

    @Override
    public void commit(CopyResult result) {
    }

    @Override
    public void abort(Throwable cause) {
        aborted = cause;
        started.values().forEach(f -> f.completeExceptionally(cause));
        finished.values().forEach(f -> f.completeExceptionally(cause));
    }
}
