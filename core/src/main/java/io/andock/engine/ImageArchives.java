package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.transfer.CopyOptions;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageCopier;
import io.andock.transfer.ImageSource;
import io.andock.transfer.StoreSource;
import io.andock.transfer.TransferListener;
import io.andock.transfer.archive.DockerArchiveReader;
import io.andock.transfer.archive.DockerArchiveWriter;
import io.andock.transfer.archive.OciLayout;
import io.andock.transfer.archive.OciLayoutWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.andock.engine.Transfers.FORMAT_DOCKER_ARCHIVE;
import static io.andock.engine.Transfers.FORMAT_OCI_DIR;

/**
 * {@code save} and {@code load}: images copied out of the store into a docker-archive or an OCI layout, and in
 * from either, through the same copy algorithm as pull.
 */
final class ImageArchives {
    private final Images images;
    private final ContentStore content;
    private final UnpackingCopy unpackingCopy;
    private final EngineConfig config;

    ImageArchives(Images images, ContentStore content, UnpackingCopy unpackingCopy, EngineConfig config) {
        this.images = images;
        this.content = content;
        this.unpackingCopy = unpackingCopy;
        this.config = config;
    }

    /** Saves to a file ({@code docker-archive}, written to a temp name and renamed) or a directory ({@code oci-dir}). */
    void save(List<String> refs, Path out, String format) {
        String f = format == null ? FORMAT_DOCKER_ARCHIVE : format;
        if (f.equals(FORMAT_OCI_DIR)) {
            try (var lease = content.gcLock(false)) {
                OciLayoutWriter w = new OciLayoutWriter(out);
                for (Map.Entry<LocalImage, List<Reference>> e : group(refs).entrySet()) {
                    List<Reference> tags = e.getValue().isEmpty() ? java.util.Collections.singletonList(null) : e.getValue();
                    for (Reference t : tags) copyOut(e.getKey(), w.image(t));
                }
                w.close();
            }
            return;
        }
        if (!f.equals(FORMAT_DOCKER_ARCHIVE)) throw AndockException.invalid("unknown format \"" + f + "\" (docker-archive or oci-dir)");
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                save(refs, os);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw AndockException.wrap("save to " + out, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Streams a docker-archive of {@code refs} (for {@code save} to stdout). Does not close {@code out}. */
    void save(List<String> refs, OutputStream out) {
        if (refs.isEmpty()) throw AndockException.invalid("nothing to save");
        try (var lease = content.gcLock(false)) {
            Map<LocalImage, List<Reference>> groups = group(refs);
            DockerArchiveWriter w = new DockerArchiveWriter(out);
            for (Map.Entry<LocalImage, List<Reference>> e : groups.entrySet()) copyOut(e.getKey(), w.image(e.getValue()));
            w.close();
        }
    }

    private void copyOut(LocalImage img, io.andock.transfer.ImageDestination dest) {
        ImageSource src = new StoreSource(content, img.record().manifest(), img.record().name());
        ImageCopier.copy(src, dest, new CopyOptions(img.config().platform(), false, 1, null, null));
    }

    /** Images by manifest, each with the tags it was named by (none when named by ID). */
    private Map<LocalImage, List<Reference>> group(List<String> refs) {
        Map<Digest, LocalImage> byManifest = new LinkedHashMap<>();
        Map<LocalImage, List<Reference>> out = new LinkedHashMap<>();
        for (String s : refs) {
            LocalImage img = images.resolve(s);
            LocalImage key = byManifest.computeIfAbsent(img.record().manifest().digest(), k -> img);
            List<Reference> tags = out.computeIfAbsent(key, k -> new ArrayList<>());
            if (img.record().name().equals(Images.tryNormalise(s))) {
                Reference r = Reference.parse(img.record().name());
                if (r.tag() != null && !tags.contains(r)) tags.add(r);
            }
        }
        return out;
    }

    /**
     * Loads a docker-archive file (either form), a plain OCI archive, or an OCI layout directory; stores, unpacks
     * and names each image. Returns each image loaded, in the archive's order.
     */
    List<LoadedImage> load(Path in, TransferListener listener) {
        List<DockerArchiveReader.ArchiveImage> archive;
        if (Files.isDirectory(in)) {
            archive = new ArrayList<>();
            for (Descriptor d : OciLayout.entries(io.andock.transfer.archive.ArchiveFiles.directory(in))) {
                String name = d.annotations().get(OciLayout.CONTAINERD_NAME);
                String refName = d.annotations().get(OciLayout.REF_NAME);
                List<Reference> tags = name == null ? List.of() : List.of(Reference.parse(name));
                archive.add(new DockerArchiveReader.ArchiveImage(tags, OciLayout.source(in, refName != null ? refName : name)));
            }
        } else {
            archive = DockerArchiveReader.read(in);
        }
        List<LoadedImage> loaded = new ArrayList<>();
        for (DockerArchiveReader.ArchiveImage a : archive) {
            CopyOptions opts = new CopyOptions(null, false, 1, listener, null);
            CopyResult res = unpackingCopy.copy(a.source(), opts, r -> {
                if (a.tags().isEmpty()) {
                    images.record(r.top().digest().toString(), r.top().descriptor(), r.selected().descriptor(), "load");
                }
                for (Reference t : a.tags()) images.record(t.toString(), r.top().descriptor(), r.selected().descriptor(), "load");
            });
            Digest id = res.manifest().config().digest();
            if (a.tags().isEmpty()) loaded.add(new LoadedImage(null, id));
            for (Reference t : a.tags()) loaded.add(new LoadedImage(t.familiar(), id));
        }
        return loaded;
    }

    List<LoadedImage> load(Path in) {
        return load(in, TransferListener.NONE);
    }

    List<LoadedImage> load(InputStream in) {
        return load(in, TransferListener.NONE);
    }

    /** {@link #load(Path, TransferListener)} from a stream (stdin): spooled to {@code <root>/tmp} first. */
    List<LoadedImage> load(InputStream in, TransferListener listener) {
        Path tmp = spool(in, "load");
        try {
            return load(tmp, listener);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Copies {@code in} to a file in {@code <root>/tmp}; whatever cuts the copy short, the file goes with it. */
    private Path spool(InputStream in, String what) {
        Path tmp = Leftovers.spoolFile(config.tmpDir(), what);
        try {
            Files.createDirectories(config.tmpDir());
            Files.copy(in, tmp);
            return tmp;
        } catch (IOException e) { // a dropped or cut-off upload
            deleteQuietly(tmp);
            throw AndockException.wrap(what + ": read input", e);
        } catch (RuntimeException | Error e) { // an interrupt, an OutOfMemoryError
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
