package io.andock.transfer.archive;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.json.Json;
import io.andock.transfer.BlobOpener;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageDestination;
import io.andock.transfer.RawManifest;

import java.io.Closeable;
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

/**
 * Writes images into an OCI layout directory (skopeo's {@code oci:DIR:tag}): blobs under
 * {@code blobs/sha256/<hex>} (written to a temp name and renamed once verified), {@code oci-layout}, and on
 * {@link #close} an {@code index.json} whose entries carry {@code org.opencontainers.image.ref.name} (the tag) and
 * {@code io.containerd.image.name} (the full name). Entries already in the layout stay unless replaced by name.
 */
public final class OciLayoutWriter implements Closeable {
    private final Path dir;
    private final List<Descriptor> entries = new ArrayList<>();

    public OciLayoutWriter(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            Files.write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
            if (Files.exists(dir.resolve("index.json"))) entries.addAll(OciLayout.entries(ArchiveFiles.directory(dir)));
        } catch (IOException e) {
            throw AndockException.wrap("create OCI layout " + dir, e);
        }
    }

    /** A destination for one image, named {@code ref} in index.json (no name when null). */
    public ImageDestination image(Reference ref) {
        return new Dest(ref);
    }

    private Path blob(Digest d) {
        return dir.resolve(LayoutSource.blobName(d));
    }

    private void write(Digest d, InputStream in) throws IOException {
        Path target = blob(d);
        if (Files.exists(target)) return;
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private final class Dest implements ImageDestination {
        private final Reference ref;

        Dest(Reference ref) {
            this.ref = ref;
        }

        @Override
        public String describe() {
            return "oci:" + dir;
        }

        @Override
        public boolean tryReuse(Descriptor blob) {
            return Files.exists(blob(blob.digest()));
        }

        @Override
        public void putBlob(Descriptor blob, BlobOpener from) {
            try (InputStream in = from.open()) {
                write(blob.digest(), in);
            } catch (IOException e) {
                throw AndockException.wrap("write " + blob.digest(), e);
            }
        }

        @Override
        public void putManifest(RawManifest m) {
            try {
                write(m.digest(), new java.io.ByteArrayInputStream(m.bytes()));
            } catch (IOException e) {
                throw AndockException.wrap("write " + m.digest(), e);
            }
        }

        @Override
        public void commit(CopyResult result) {
            RawManifest top = result.top();
            Map<String, String> ann = new LinkedHashMap<>();
            if (ref != null) {
                ann.put(OciLayout.CONTAINERD_NAME, ref.toString());
                if (ref.tag() != null) ann.put(OciLayout.REF_NAME, ref.tag());
            }
            Descriptor d = new Descriptor(top.mediaType(), top.digest(), top.bytes().length, null, ann);
            synchronized (entries) {
                // the same name replaces; a tag alone replaces only an entry without a full name (skopeo's), so
                // a:latest and b:latest saved together both stay
                if (ref != null) entries.removeIf(e -> ref.toString().equals(e.annotations().get(OciLayout.CONTAINERD_NAME))
                        || (ref.tag() != null && e.annotations().get(OciLayout.CONTAINERD_NAME) == null
                        && ref.tag().equals(e.annotations().get(OciLayout.REF_NAME))));
                entries.removeIf(e -> e.digest().equals(d.digest()) && e.annotations().equals(ann));
                entries.add(d);
            }
        }
    }

    @Override
    public void close() {
        List<Object> ms = new ArrayList<>();
        for (Descriptor d : entries) ms.add(d.toJson());
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", io.andock.image.MediaTypes.OCI_INDEX);
        index.put("manifests", ms);
        try {
            Path tmp = dir.resolve(".index.json.tmp");
            Files.write(tmp, Json.writeBytes(index));
            Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("write " + dir.resolve("index.json"), e);
        }
    }

}
