package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.registry.BlobOrigins;
import io.andock.registry.PushOptions;
import io.andock.registry.RegistryClient;
import io.andock.transfer.CopyOptions;
import io.andock.transfer.ImageCopier;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;
import io.andock.transfer.StoreSource;
import io.andock.transfer.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The transfers façade: images out of and into the store other than by pull — {@code save}, {@code load},
 * {@code import}, {@code push} — and the registry credentials push and pull use.
 */
public final class Transfers {
    public static final String FORMAT_DOCKER_ARCHIVE = "docker-archive";
    public static final String FORMAT_OCI_DIR = "oci-dir";

    private final Images images;
    private final ContentStore content;
    private final UnpackingCopy unpackingCopy;
    private final ImageArchives archives;
    private final Supplier<RegistryClient> registry;

    Transfers(Images images, ContentStore content, UnpackingCopy unpackingCopy, EngineConfig config, Supplier<RegistryClient> registry) {
        this.images = images;
        this.content = content;
        this.unpackingCopy = unpackingCopy;
        this.archives = new ImageArchives(images, content, unpackingCopy, config);
        this.registry = registry;
    }

    // ------------------------------------------------------------------ save, load

    /** Saves to a file ({@code docker-archive}, written to a temp name and renamed) or a directory ({@code oci-dir}). */
    public void save(List<String> refs, Path out, String format) {
        fetchSynced(refs);
        archives.save(refs, out, format);
    }

    /** Streams a docker-archive of {@code refs} (for {@code save} to stdout). Does not close {@code out}. */
    public void save(List<String> refs, OutputStream out) {
        fetchSynced(refs);
        archives.save(refs, out);
    }

    /**
     * Loads a docker-archive file (either form), a plain OCI archive, or an OCI layout directory; stores, unpacks
     * and names each image. Returns the images loaded, in the archive's order.
     */
    public List<LoadedImage> load(Path in, TransferListener listener) {
        return archives.load(in, listener == null ? TransferListener.NONE : listener);
    }

    /** {@link #load(Path, TransferListener)} from a stream (stdin, a request body): spooled to {@code <root>/tmp} first. */
    public List<LoadedImage> load(InputStream in, TransferListener listener) {
        return archives.load(in, listener == null ? TransferListener.NONE : listener);
    }

    // ------------------------------------------------------------------ import

    /** Imports a rootfs tarball (plain or gzip) as a one-layer image named {@code ref} (dangling when null). */
    public ImageSummary importRootfs(InputStream tar, String ref) {
        return importRootfs(tar, ref, List.of(), "");
    }

    /** As above, with {@code docker import -c} {@code changes} on the config and {@code -m} {@code message} in its history. */
    public ImageSummary importRootfs(InputStream tar, String ref, List<String> changes, String message) {
        return images.summary(importRecord(tar, ref, "-", changes, message));
    }

    public ImageSummary importRootfs(Path tar, String ref) {
        return importRootfs(tar, ref, List.of(), "");
    }

    public ImageSummary importRootfs(Path tar, String ref, List<String> changes, String message) {
        try (InputStream in = Files.newInputStream(tar)) {
            return images.summary(importRecord(in, ref, tar.toString(), changes, message));
        } catch (IOException e) {
            throw AndockException.wrap("import " + tar, e);
        }
    }

    private ImageRecord importRecord(InputStream tar, String ref, String from, List<String> changes, String message) {
        Reference r = ref == null ? null : Reference.parse(ref);
        RawManifest[] m = new RawManifest[1];
        ImageRecord[] out = new ImageRecord[1];
        unpackingCopy.copy(() -> {
            m[0] = Importer.importTar(content, tar, from, changes, message);
            return new StoreSource(content, m[0].descriptor(), "import");
        }, CopyOptions.defaults(), res ->
                out[0] = images.record(r == null ? m[0].digest().toString() : r.toString(), m[0].descriptor(), m[0].descriptor(), "import"));
        return out[0];
    }

    // ------------------------------------------------------------------ push

    /**
     * Pushes {@code ref} (a local image name) to its registry: blobs the registry has are skipped, blobs another
     * repository of that registry has are mounted, the manifest goes last. An image pulled from a multi-platform
     * index is pushed as the one platform manifest the store holds. Progress as docker push reports it.
     */
    public void push(String ref, TransferListener listener) {
        Reference r = Reference.parse(ref);
        LocalImage img = images.resolve(ref);
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        fetchSynced(List.of(ref));
        try (var lease = content.gcLock(false);
             ImageSource src = new StoreSource(content, img.record().manifest(), img.record().name())) {
            var dest = registry.get().destination(r, PushOptions.defaults().withListener(l).withOrigins(mountHint(img, r)));
            // The destination reports push progress itself; the copier's words are a pull's.
            ImageCopier.copy(src, dest, new CopyOptions(img.config().platform(), false, 5, TransferListener.NONE, null));
        } catch (AndockException e) {
            throw e.withContext("push " + r.familiar());
        }
    }

    /** An image pulled from another repository of the same registry can have its blobs mounted from there. */
    private static BlobOrigins mountHint(LocalImage img, Reference target) {
        if (img.record().dangling() || !"registry".equals(img.record().labels().get(ImageRecord.SOURCE))) {
            return BlobOrigins.NONE;
        }
        Reference from = Reference.parse(img.record().name());
        return from.domain().equals(target.domain()) ? BlobOrigins.repository(from) : BlobOrigins.NONE;
    }

    /** Layers a hub sync left as snapshots only are fetched before they are read (see {@link SyncedLayers}). */
    private void fetchSynced(List<String> refs) {
        for (String ref : refs) {
            LocalImage img;
            try {
                img = images.resolve(ref);
            } catch (AndockException e) {
                continue; // the archive writer reports it
            }
            boolean missing = img.manifest().layers().stream().anyMatch(l -> !content.exists(l.digest()));
            if (missing) SyncedLayers.fetchMissing(img, content, registry.get());
        }
    }

    // ------------------------------------------------------------------ registry credentials

    /** Verifies the credentials against the registry, then saves them ({@code <configDir>/auth.json}). */
    public void login(String host, String user, String password) {
        registry.get().login(host, user, password);
    }

    /** Forgets saved credentials; false when there were none. */
    public boolean logout(String host) {
        return registry.get().logout(host);
    }
}
