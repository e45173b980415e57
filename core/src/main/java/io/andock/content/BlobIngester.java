package io.andock.content;

import io.andock.image.Descriptor;

import java.io.InputStream;

/**
 * Writes blobs (containerd's Ingester). Code that fetches asks for this role only.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>{@link #begin} for a blob whose descriptor is known in advance (a layer named by a manifest). The call
 *   blocks while another thread or another andock process ingests the same digest, and then sees its result:
 *   {@link Ingest#alreadyExists()} is true when the blob got published meanwhile. Partial data left by an
 *   interrupted ingest (a dropped connection, a {@code kill -9}) is resumed: {@link Ingest#offset()} says how many
 *   bytes are already there.</li>
 *   <li>{@link #write} for content whose digest is learnt while writing (an import, a synthesised manifest).</li>
 * </ul>
 */
public interface BlobIngester {

    /** Starts (or resumes) the ingest of {@code expected}. The caller must commit, abort or close the result. */
    Ingest begin(Descriptor expected);

    /** Stores a stream of unknown digest; returns its descriptor (with {@code mediaType}). */
    Descriptor write(InputStream in, String mediaType);

    /** Stores bytes in memory (a manifest, a config) and returns their descriptor. */
    default Descriptor write(byte[] bytes, String mediaType) {
        return write(new java.io.ByteArrayInputStream(bytes), mediaType);
    }
}
