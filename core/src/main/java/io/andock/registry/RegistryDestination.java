package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Reference;
import io.andock.os.Futures;
import io.andock.transfer.BlobOpener;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageDestination;
import io.andock.transfer.RawManifest;
import io.andock.transfer.TransferListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry repository as an {@link ImageDestination}: the push side of {@code ImageCopier}.
 *
 * <ul>
 *   <li>{@link #tryReuse}: {@code HEAD} the blob in the target repository ("Layer already exists"); else a
 *       cross-repository mount from each {@link PushOptions#origins() origin} on the same registry, at most
 *       {@link PushOptions#mountAttempts()} ("Mounted from library/busybox"); a refused mount's 202 session is
 *       kept for the upload ("Waiting").</li>
 *   <li>{@link #putBlob}: one PUT up to {@link PushOptions#chunkThreshold()}, PATCH chunks above; the body streams
 *       from the copier's verifying stream ("Pushing" bytes, "Pushed"). A blob listed twice is uploaded once.</li>
 *   <li>{@link #putManifest}: each manifest is PUT by digest when the next one arrives (children before their
 *       index); the last is PUT in {@link #commit} under the reference's tag (or digest): exactly one PUT per
 *       manifest, the tag moved only once everything it names is there.</li>
 * </ul>
 * Thread-safe for the copier's parallel {@code putBlob}s. Errors carry no "push …" prefix (the engine adds it).
 */
public final class RegistryDestination implements ImageDestination {
    private final RegistryClient client;
    private final Reference ref;
    private final PushOptions options;
    private final List<Endpoint> origin;
    private final Set<Digest> present = ConcurrentHashMap.newKeySet();
    private final Map<Digest, UploadSession> sessions = new ConcurrentHashMap<>();
    private final Map<Digest, CompletableFuture<Void>> uploads = new ConcurrentHashMap<>();
    private RawManifest pending;

    RegistryDestination(RegistryClient client, Reference ref, PushOptions options) {
        this.client = client;
        this.ref = ref;
        this.options = options;
        this.origin = client.pushEndpoints(ref);
    }

    public Reference reference() {
        return ref;
    }

    @Override
    public String describe() {
        return ref.familiar();
    }

    @Override
    public boolean tryReuse(Descriptor blob) {
        Digest d = blob.digest();
        if (present.contains(d)) {
            status(blob, "Layer already exists");
            return true;
        }
        status(blob, "Preparing");
        if (BlobChecker.exists(transport(), origin, ref, d, RegistryRequest.pushScope(ref.repository()),
                BlobUploader.denied(ref))) {
            present.add(d);
            status(blob, "Layer already exists");
            return true;
        }
        for (String from : mountCandidates(d)) {
            BlobMounter.Result r = BlobMounter.mount(transport(), origin, ref, d, from);
            if (r.mounted()) {
                present.add(d);
                status(blob, "Mounted from " + from);
                return true;
            }
            if (r.session() != null) {
                UploadSession old = sessions.put(d, r.session());
                if (old != null) BlobUploader.cancel(transport(), origin, ref, old);
            }
        }
        status(blob, "Waiting");
        return false;
    }

    private List<String> mountCandidates(Digest d) {
        List<String> out = new ArrayList<>();
        for (Reference r : options.origins().find(d)) {
            if (out.size() == options.mountAttempts()) break;
            if (r.domain().equals(ref.domain()) && !r.repository().equals(ref.repository())
                    && !out.contains(r.repository())) {
                out.add(r.repository());
            }
        }
        return out;
    }

    @Override
    public void putBlob(Descriptor blob, BlobOpener from) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = uploads.putIfAbsent(blob.digest(), mine);
        if (running != null) {
            Futures.await(running, "upload");
            return;
        }
        try {
            upload(blob, from);
            present.add(blob.digest());
            mine.complete(null);
            status(blob, "Pushed");
        } catch (RuntimeException e) {
            uploads.remove(blob.digest(), mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private void upload(Descriptor blob, BlobOpener from) {
        UploadSession session = sessions.remove(blob.digest());
        if (session == null) session = BlobUploader.start(transport(), origin, ref);
        String id = blob.digest().shortHex();
        boolean quiet = isConfig(blob);
        TransferListener l = options.listener();
        Progress progress = new Progress(l, id, blob.size(), quiet);
        try {
            if (blob.size() > options.chunkThreshold()) {
                BlobUploader.chunked(transport(), origin, ref, session, blob, from, options.chunkSize(), progress::at);
            } else {
                BlobUploader.monolithic(transport(), origin, ref, session, blob, from, progress::at);
            }
        } catch (RuntimeException e) {
            BlobUploader.cancel(transport(), origin, ref, session);
            throw e;
        }
    }

    @Override
    public synchronized void putManifest(RawManifest manifest) {
        if (pending != null && !pending.digest().equals(manifest.digest())) {
            ManifestPusher.push(transport(), origin, ref, pending.digest().toString(), pending);
        }
        pending = manifest;
    }

    @Override
    public synchronized void commit(CopyResult result) {
        RawManifest top = result.top();
        if (pending != null && !pending.digest().equals(top.digest())) {
            ManifestPusher.push(transport(), origin, ref, pending.digest().toString(), pending);
        }
        pending = null;
        if (ref.digest() != null && !ref.digest().equals(top.digest())) {
            throw AndockException.invalid("cannot push " + top.digest() + " as " + ref.familiar() + ": digest differs");
        }
        ManifestPusher.push(transport(), origin, ref, ref.tagOrDigest(), top);
        String name = ref.tag() != null ? ref.tag() : ref.digest().toString();
        options.listener().message(name + ": digest: " + top.digest() + " size: " + top.bytes().length);
    }

    @Override
    public void abort(Throwable cause) {
        for (UploadSession s : sessions.values()) BlobUploader.cancel(transport(), origin, ref, s);
        sessions.clear();
        synchronized (this) {
            pending = null;
        }
    }

    private RegistryTransport transport() {
        return client.transport();
    }

    private void status(Descriptor blob, String status) {
        if (!isConfig(blob)) options.listener().status(blob.digest().shortHex(), status);
    }

    /** Config blobs are pushed quietly, as Docker does: its output lists layers only. */
    private static boolean isConfig(Descriptor blob) {
        String mt = blob.mediaType();
        return MediaTypes.OCI_CONFIG.equals(mt) || MediaTypes.DOCKER_CONFIG.equals(mt);
    }

    /** Reports "Pushing" about every 256 KiB and at the end. */
    private static final class Progress {
        private final TransferListener l;
        private final String id;
        private final long total;
        private final boolean quiet;
        private long reported = -1;

        Progress(TransferListener l, String id, long total, boolean quiet) {
            this.l = l;
            this.id = id;
            this.total = total;
            this.quiet = quiet;
        }

        synchronized void at(long pos) {
            if (quiet) return;
            if (reported < 0 || pos - reported >= 256 * 1024 || pos == total || pos < reported) {
                reported = pos;
                l.progress(id, "Pushing", pos, total);
            }
        }
    }
}
