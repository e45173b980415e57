package io.andock.transfer;

import io.andock.image.Descriptor;
import io.andock.image.Digest;

import java.io.Closeable;
import java.io.InputStream;

/**
 * Where an image is copied from: a registry, the local store, a docker-archive or an OCI layout.
 * A source only serves bytes; the copy verifies every digest and size while it streams them to the destination.
 * Implementations are safe to call from several threads at once (layers are fetched in parallel).
 */
public interface ImageSource extends Closeable {

    /** For messages: {@code 127.0.0.1:5000/busybox:latest}, {@code docker-archive:bb.tar}. */
    String describe();

    /**
     * The manifest or index this source was opened on ({@code digest == null}), or the one with the given digest
     * (a child of an index). The returned digest is computed over the bytes; the caller checks it against what
     * it asked for.
     */
    RawManifest manifest(Digest digest);

    /**
     * The bytes of a blob, from {@code offset} on. Sources that can (a registry) resume by themselves after a
     * dropped connection; the caller still checks size and digest of what it reads.
     */
    InputStream blob(Descriptor blob, long offset);

    @Override
    default void close() {
    }
}
