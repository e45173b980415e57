package io.andock.hub.storage;

import io.andock.image.Digest;

import java.io.Closeable;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the hub keeps, behind one narrow interface that an object store can implement as well as a local
 * directory: immutable blobs by digest, append-only staged uploads that become blobs, and small metadata objects by
 * key (tags, links, referrers). No transactions across keys: every operation is atomic on its own, which is what
 * the registry's design relies on (a blob is published before any key names it; a key is written whole or not at
 * all).
 */
public interface HubStorage extends Closeable {

    /** Size and last modification of a blob or a metadata key. */
    record Stat(long size, Instant modified) {}

    // --- blobs: visible only once complete and verified by the caller

    Optional<Stat> statBlob(Digest d);

    /** The blob's bytes from {@code offset} on; NOT_FOUND when absent. */
    InputStream openBlob(Digest d, long offset);

    boolean deleteBlob(Digest d);

    /**
     * The blob's local file, when this store keeps blobs as files: the server then sends it from the file through
     * pooled direct buffers (no copy through the heap). Empty for stores elsewhere (S3).
     */
    default Optional<java.nio.file.Path> blobFile(Digest d) {
        return Optional.empty();
    }

    List<Digest> listBlobs();

    // --- staged uploads

    /** A new, empty staged upload named {@code id} (letters, digits, dashes). */
    Staged stage(String id);

    /**
     * The staged upload {@code id} that another request, another process or another replica sharing this store
     * started; empty when the store knows it is gone. An object store cannot tell an upload with no bytes yet from
     * none at all, so the caller keeps its own record of which uploads exist.
     */
    Optional<Staged> resume(String id);

    /**
     * An upload's bytes as they arrive. Used by one request at a time (the registry serializes them within a
     * process; across replicas the client does, one chunk after the other). {@link #read} may run beside an
     * {@link #append} of the same process: it sees at least the bytes appended before it was called, and, of the
     * append under way, what that has written so far.
     */
    interface Staged {
        /** The bytes staged so far, by any process. */
        long size();

        /** When bytes were last appended (or the upload began). */
        Instant modified();

        /**
         * Appends the whole stream, at most {@code max} bytes, or nothing: when the stream fails or exceeds
         * {@code max}, what this call appended is undone and the exception is thrown. Returns the bytes appended.
         */
        long append(InputStream in, long max);

        /** The bytes staged so far, from the start. */
        InputStream read();

        /**
         * A local file holding the staged bytes from the start, growing as an append of this process writes (read
         * it with a channel opened now: it may be renamed or removed later); empty when there is none.
         */
        default Optional<java.nio.file.Path> localFile() {
            return Optional.empty();
        }

        /** Makes the staged bytes the blob {@code d}, which the caller has verified them to be; the upload ends. */
        void publish(Digest d);

        /** Drops the staged bytes; the upload ends. */
        void discard();
    }

    /** Thrown by {@link Staged#append} past its bound. */
    final class TooLarge extends RuntimeException {
        public TooLarge(long max) {
            super("more than " + max + " bytes");
        }
    }

    // --- metadata: small values by key ("repos/team/app/_tags/1"), '/'-separated

    Optional<byte[]> get(String key);

    Optional<Stat> stat(String key);

    /** Replaces the value atomically. */
    void put(String key, byte[] value);

    boolean delete(String key);

    /** The names directly under {@code prefix} (keys and deeper prefixes), sorted. */
    List<String> children(String prefix);

    /**
     * Removes staged uploads untouched for {@code idle}: leftovers of a dead process, or of an upload its client
     * gave up (never one this process is appending to).
     */
    void cleanStaged(Duration idle);

    @Override
    default void close() {}
}
