package io.andock.transfer;

import io.andock.AndockException;
import io.andock.content.VerifyingInputStream;
import io.andock.image.Descriptor;
import io.andock.image.ImageConfig;
import io.andock.image.ImageIndex;
import io.andock.image.Manifest;
import io.andock.image.MediaTypes;
import io.andock.os.Futures;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one copy algorithm (containers/image {@code copy.Image}): pull, push, save and load are copies between an
 * {@link ImageSource} and an {@link ImageDestination}.
 *
 * <ol>
 *   <li>resolve the top manifest; for an index, select the platform's manifest (or take all of them);</li>
 *   <li>copy the config (and hand it to {@link CopyOptions#onConfig()});</li>
 *   <li>copy the layers, {@link CopyOptions#concurrency()} at a time, in manifest order, skipping what the
 *   destination has; every byte verified against size and digest while it streams;</li>
 *   <li>put the manifests, children first, and commit.</li>
 * </ol>
 * Any failure aborts the destination and is reported with the blob it concerns
 * ({@code layer sha256:…: size 1155 expected, 155 received}).
 */
public final class ImageCopier {
    private static final long MAX_MANIFEST = 4 << 20;

    private ImageCopier() {
    }

    public static CopyResult copy(ImageSource source, ImageDestination destination, CopyOptions options) {
        try {
            CopyResult r = copyAll(source, destination, options);
            destination.commit(r);
            return r;
        } catch (RuntimeException e) {
            destination.abort(e);
            throw e;
        }
    }

    private static CopyResult copyAll(ImageSource source, ImageDestination dest, CopyOptions options) {
        RawManifest top = source.manifest(null);
        io.andock.Trace.phase("pull: manifest");
        if (top.bytes().length > MAX_MANIFEST) throw AndockException.invalid("manifest larger than 4 MiB");
        if (!ImageIndex.isIndex(top.bytes(), top.mediaType())) {
            CopyResult r = copyImage(source, dest, top, top, options, true);
            dest.putManifest(top);
            return r;
        }
        ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType());
        CopyResult result;
        if (options.allPlatforms()) {
            Descriptor preferred = null;
            try {
                preferred = index.select(options.platform());
            } catch (AndockException ignored) {
                // none fits: report the first
            }
            result = null;
            for (Descriptor d : index.manifests()) {
                boolean chosen = preferred == null ? result == null : d.equals(preferred);
                CopyResult r = copyChild(source, dest, top, d, options, chosen);
                if (chosen) result = r;
            }
            if (result == null) throw AndockException.invalid("index " + top.digest() + " lists no manifests");
        } else {
            result = copyChild(source, dest, top, index.select(options.platform()), options, true);
        }
        dest.putManifest(top);
        return result;
    }

    private static CopyResult copyChild(ImageSource source, ImageDestination dest, RawManifest top, Descriptor d,
                                        CopyOptions options, boolean notify) {
        RawManifest child = source.manifest(d.digest());
        if (!child.digest().equals(d.digest()) || child.bytes().length != d.size()) {
            throw AndockException.corrupt("manifest " + d.digest() + ": digest or size mismatch (got "
                    + child.digest() + ", " + child.bytes().length + " bytes)");
        }
        String mt = d.mediaType() != null ? d.mediaType() : child.mediaType();
        RawManifest typed = new RawManifest(child.bytes(), mt, child.digest());
        CopyResult r = copyImage(source, dest, top, typed, options, notify);
        dest.putManifest(typed);
        return r;
    }

    private static CopyResult copyImage(ImageSource source, ImageDestination dest, RawManifest top, RawManifest raw,
                                        CopyOptions options, boolean notify) {
        Manifest m = Manifest.parse(raw.bytes(), raw.mediaType());
        Descriptor cd = m.config();
        byte[] configBytes;
        try (InputStream in = new VerifyingInputStream(source.blob(cd, 0), cd)) {
            configBytes = in.readAllBytes();
        } catch (IOException e) {
            throw AndockException.wrap("config " + cd.digest(), e);
        } catch (AndockException e) {
            throw e.withContext("config " + cd.digest());
        }
        ImageConfig config = ImageConfig.parse(configBytes);
        io.andock.Trace.phase("pull: config");
        if (!dest.tryReuse(cd)) {
            dest.putBlob(cd, (off, st) -> new VerifyingInputStream(
                    new ByteArrayInputStream(configBytes, (int) off, configBytes.length - (int) off), cd, off,
                    st == null ? cd.digest().newDigester() : st));
        }
        if (notify && options.onConfig() != null) options.onConfig().accept(m, config);
        copyLayers(source, dest, m.layers(), options);
        return new CopyResult(top, raw, m, config);
    }

    private static void copyLayers(ImageSource source, ImageDestination dest, List<Descriptor> layers, CopyOptions options) {
        TransferListener l = options.listener();
        List<Descriptor> todo = new ArrayList<>();
        for (Descriptor d : layers) {
            String id = d.digest().shortHex();
            try {
                if (dest.tryReuse(d)) {
                    l.status(id, "Already exists");
                    continue;
                }
            } catch (AndockException e) {
                throw e.withContext("layer " + d.digest());
            }
            l.status(id, "Pulling fs layer");
            todo.add(d);
        }
        if (todo.isEmpty()) return;
        int threads = Math.min(options.concurrency(), todo.size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "andock-copy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Descriptor d : todo) {
                if (threads < todo.size()) l.status(d.digest().shortHex(), "Waiting");
                futures.add(pool.submit(() -> copyLayer(source, dest, d, l)));
            }
            for (int i = 0; i < futures.size(); i++) Futures.await(futures.get(i), "layer " + todo.get(i).digest());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void copyLayer(ImageSource source, ImageDestination dest, Descriptor d, TransferListener l) {
        String id = d.digest().shortHex();
        try {
            dest.putBlob(d, (off, st) -> {
                InputStream raw = source.blob(d, off);
                InputStream counted = new Progress(raw, l, id, off, d.size());
                return new VerifyingInputStream(counted, d, off, st == null ? d.digest().newDigester() : st);
            });
            l.status(id, "Download complete");
            io.andock.Trace.phase("pull: stored layer " + id);
        } catch (AndockException e) {
            throw e.withContext("layer " + d.digest());
        } catch (RuntimeException e) {
            throw AndockException.wrap("layer " + d.digest(), e);
        }
    }

    /** Reports "Downloading" progress about every 256 KiB. */
    private static final class Progress extends FilterInputStream {
        private final TransferListener l;
        private final String id;
        private final long total;
        private long pos;
        private long reported;

        Progress(InputStream in, TransferListener l, String id, long pos, long total) {
            super(in);
            this.l = l;
            this.id = id;
            this.pos = pos;
            this.total = total;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                pos += n;
                if (pos - reported >= 256 * 1024 || pos == total) {
                    reported = pos;
                    l.progress(id, "Downloading", pos, total);
                }
            }
            return n;
        }
    }

    /** The media type of manifest bytes read without one (a blob in a store or layout). */
    public static String sniffMediaType(byte[] raw) {
        io.andock.json.JsonObject o = io.andock.json.JsonObject.parse(raw);
        String mt = o.string("mediaType");
        if (mt != null) return mt;
        return o.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

}
