package io.andock.transfer.archive;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.ImageIndex;
import io.andock.image.Manifest;
import io.andock.image.MediaTypes;
import io.andock.image.Reference;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a docker-archive ({@code docker save}, {@code skopeo copy … docker-archive:}): one image per
 * {@code manifest.json} entry. When the archive is also an OCI layout and index.json lists a manifest with the
 * entry's config, that manifest is used as is; otherwise (old form: {@code <hex>.tar} or {@code <id>/layer.tar}
 * layers and {@code <hex>.json} config) an OCI manifest is synthesised, each layer's digest computed from the
 * file and its media type taken from its magic (tar, gzip, zstd).
 */
public final class DockerArchiveReader {

    /** One image of the archive and the tags it is to get. */
    public record ArchiveImage(List<Reference> tags, ImageSource source) {
    }

    private DockerArchiveReader() {
    }

    public static List<ArchiveImage> read(Path file) {
        TarIndex files = TarIndex.open(file);
        String describe = "docker-archive:" + file;
        if (files.size("manifest.json").isEmpty()) {
            if (files.size("index.json").isPresent()) { // a plain OCI archive
                List<ArchiveImage> out = new ArrayList<>();
                for (Descriptor d : OciLayout.entries(files)) {
                    String name = d.annotations().get(OciLayout.CONTAINERD_NAME);
                    List<Reference> tags = name == null ? List.of() : List.of(Reference.parse(name));
                    out.add(new ArchiveImage(tags, new LayoutSource(files, describe, d)));
                }
                return out;
            }
            throw AndockException.invalid(describe + ": no manifest.json: not a docker-archive");
        }
        Map<Digest, Descriptor> ociManifests = ociManifestsByConfig(files);
        List<ArchiveImage> out = new ArrayList<>();
        Object parsed = Json.parse(files.read("manifest.json", 16 << 20));
        if (!(parsed instanceof List<?> list)) throw AndockException.invalid(describe + ": manifest.json is not a list");
        for (Object o : list) {
            JsonObject e = JsonObject.of(o);
            List<Reference> tags = new ArrayList<>();
            List<String> repoTags = e.strings("RepoTags");
            if (repoTags != null) for (String t : repoTags) tags.add(Reference.parse(t));
            out.add(new ArchiveImage(tags, entrySource(files, describe, e, ociManifests)));
        }
        return out;
    }

    private static ImageSource entrySource(TarIndex files, String describe, JsonObject e, Map<Digest, Descriptor> oci) {
        String configPath = e.string("Config");
        if (configPath == null) throw AndockException.invalid(describe + ": manifest.json entry without Config");
        byte[] config = files.read(configPath, 16 << 20);
        Digest configDigest = Digest.sha256(config);
        Descriptor known = oci.get(configDigest);
        if (known != null) return new LayoutSource(files, describe, known);
        Map<Digest, String> paths = new HashMap<>();
        paths.put(configDigest, configPath);
        List<Object> layers = new ArrayList<>();
        for (String lp : e.strings("Layers") == null ? List.<String>of() : e.strings("Layers")) {
            Descriptor d = describeLayer(files, lp);
            paths.put(d.digest(), lp);
            layers.add(d.toJson());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("config", new Descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length).toJson());
        m.put("layers", layers);
        RawManifest raw = RawManifest.of(Json.writeBytes(m), MediaTypes.OCI_MANIFEST);
        return new LayoutSource(files, describe, raw.descriptor(), raw, paths);
    }

    private static Descriptor describeLayer(TarIndex files, String path) {
        long size = files.size(path).orElseThrow(() -> AndockException.invalid("docker-archive has no layer " + path));
        MessageDigest md = Digest.sha256Digester();
        byte[] head = new byte[4];
        int headLen = 0;
        try (InputStream in = files.open(path, 0)) {
            byte[] buf = new byte[128 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (headLen < 4) {
                    int k = Math.min(4 - headLen, n);
                    System.arraycopy(buf, 0, head, headLen, k);
                    headLen += k;
                }
                md.update(buf, 0, n);
            }
        } catch (IOException x) {
            throw AndockException.wrap("read layer " + path, x);
        }
        String mt = MediaTypes.OCI_LAYER;
        if (headLen >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) mt = MediaTypes.OCI_LAYER_GZIP;
        else if (headLen == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) mt = MediaTypes.OCI_LAYER_ZSTD;
        return new Descriptor(mt, Digest.of("sha256", md), size);
    }

    /** The manifests index.json reaches (one level of nested index), by config digest. */
    private static Map<Digest, Descriptor> ociManifestsByConfig(TarIndex files) {
        Map<Digest, Descriptor> out = new HashMap<>();
        if (files.size("index.json").isEmpty() || files.size("oci-layout").isEmpty()) return out;
        for (Descriptor d : OciLayout.entries(files)) {
            try {
                byte[] raw = files.read(LayoutSource.blobName(d.digest()), 4 << 20);
                if (ImageIndex.isIndex(raw, d.mediaType())) continue;
                Manifest m = Manifest.parse(raw, d.mediaType());
                out.putIfAbsent(m.config().digest(), d);
            } catch (AndockException ignored) {
                // not readable as a manifest: fall back to manifest.json
            }
        }
        return out;
    }
}
