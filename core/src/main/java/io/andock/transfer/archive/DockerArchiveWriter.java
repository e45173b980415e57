package io.andock.transfer.archive;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.json.Json;
import io.andock.tar.TarWriter;
import io.andock.transfer.BlobOpener;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageDestination;
import io.andock.transfer.RawManifest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a docker-archive the way docker 25+ saves: an OCI layout ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/…}) that also carries the classic {@code manifest.json} ([{Config, RepoTags, Layers}]) and
 * {@code repositories}, with Config and Layers pointing into {@code blobs/}. Both the old (manifest.json) and the
 * new (index.json) {@code docker load} read it. Layers are the image's own blobs, compressed as stored: docker load
 * decompresses layer files by their magic, and keeping them makes the manifests and digests survive a round trip.
 *
 * <p>Streams to an {@link OutputStream} (a file or stdout); blobs are written once even if several images share
 * them. Not thread-safe for writes: blob writes are serialised.
 */
public final class DockerArchiveWriter implements Closeable {
    private final TarWriter tar;
    private final Set<Digest> written = new HashSet<>();
    private final Map<Digest, Entry> images = new LinkedHashMap<>();
    private boolean directoryWritten;

    private static final class Entry {
        RawManifest top;
        CopyResult result;
        final List<Reference> tags = new ArrayList<>();
    }

    public DockerArchiveWriter(OutputStream out) {
        this.tar = new TarWriter(out);
    }

    /** A destination for one image, listed with {@code tags} (familiar names in manifest.json). */
    public ImageDestination image(List<Reference> tags) {
        return new Dest(List.copyOf(tags));
    }

    private synchronized void putBlob(Digest d, long size, InputStream in) throws IOException {
        if (written.contains(d)) return;
        if (!directoryWritten) {
            tar.directory("blobs");
            tar.directory("blobs/sha256");
            directoryWritten = true;
        }
        tar.file(LayoutSource.blobName(d), size, in);
        written.add(d);
    }

    private final class Dest implements ImageDestination {
        private final List<Reference> tags;

        Dest(List<Reference> tags) {
            this.tags = tags;
        }

        @Override
        public String describe() {
            return "docker-archive";
        }

        @Override
        public boolean tryReuse(Descriptor blob) {
            synchronized (DockerArchiveWriter.this) {
                return written.contains(blob.digest());
            }
        }

        @Override
        public void putBlob(Descriptor blob, BlobOpener from) {
            try (InputStream in = from.open()) {
                DockerArchiveWriter.this.putBlob(blob.digest(), blob.size(), in);
            } catch (IOException e) {
                throw AndockException.wrap("write " + blob.digest(), e);
            }
        }

        @Override
        public void putManifest(RawManifest m) {
            // only the manifests of the images saved are written, at commit
        }

        @Override
        public void commit(CopyResult r) {
            RawManifest m = r.selected();
            try {
                DockerArchiveWriter.this.putBlob(m.digest(), m.bytes().length, new java.io.ByteArrayInputStream(m.bytes()));
            } catch (IOException e) {
                throw AndockException.wrap("write " + m.digest(), e);
            }
            synchronized (DockerArchiveWriter.this) {
                Entry e = images.computeIfAbsent(m.digest(), k -> new Entry());
                e.top = m;
                e.result = r;
                for (Reference t : tags) if (!e.tags.contains(t)) e.tags.add(t);
            }
        }
    }

    /** Writes index.json, manifest.json, repositories and oci-layout and ends the archive. */
    @Override
    public void close() {
        List<Object> index = new ArrayList<>();
        List<Object> manifest = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (Entry e : images.values()) {
            List<String> repoTags = new ArrayList<>();
            for (Reference t : e.tags) {
                Map<String, String> ann = new LinkedHashMap<>();
                ann.put(OciLayout.CONTAINERD_NAME, t.toString());
                if (t.tag() != null) ann.put(OciLayout.REF_NAME, t.tag());
                index.add(new Descriptor(e.top.mediaType(), e.top.digest(), e.top.bytes().length, null, ann).toJson());
                if (t.tag() != null) {
                    repoTags.add(t.familiar());
                    List<Descriptor> ls = e.result.manifest().layers();
                    String last = ls.isEmpty() ? "" : ls.get(ls.size() - 1).digest().hex();
                    repositories.computeIfAbsent(t.familiarName(), k -> new LinkedHashMap<>()).put(t.tag(), last);
                }
            }
            if (e.tags.isEmpty()) index.add(e.top.descriptor().toJson());
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("Config", LayoutSource.blobName(e.result.manifest().config().digest()));
            me.put("RepoTags", repoTags);
            List<String> layers = new ArrayList<>();
            for (Descriptor l : e.result.manifest().layers()) layers.add(LayoutSource.blobName(l.digest()));
            me.put("Layers", layers);
            manifest.add(me);
        }
        Map<String, Object> idx = new LinkedHashMap<>();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", io.andock.image.MediaTypes.OCI_INDEX);
        idx.put("manifests", index);
        try {
            tar.file("index.json", Json.writeBytes(idx));
            tar.file("manifest.json", Json.writeBytes(manifest));
            tar.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
            if (!repositories.isEmpty()) tar.file("repositories", Json.writeBytes(repositories));
            tar.finish();
        } catch (IOException e) {
            throw AndockException.wrap("write docker-archive", e);
        }
    }
}
