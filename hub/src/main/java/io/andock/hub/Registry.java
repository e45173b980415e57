package io.andock.hub;

import io.andock.AndockException;
import io.andock.hub.storage.HubStorage;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The registry's model over {@link HubStorage}, free of HTTP: repositories, blob links, uploads, manifests, tags
 * and referrers. Storage keys (all under {@code repos/<name>/}): {@code _blobs/<alg>/<hex>} (the blob is in the
 * repository), {@code _manifests/<alg>/<hex>} (the manifest is, value: its media type), {@code _tags/<tag>} (value:
 * the digest), {@code _referrers/<alg>-<hex>/<alg>-<hex>} (value: the referrer's descriptor). A key is written only
 * after what it names is stored and verified, so nothing is visible half-made.
 */
public final class Registry {
    private static final Logger LOG = Logger.getLogger("andock.hub");
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private final HubStorage storage;
    private final HubConfig.Limits limits;
    private final boolean sparse;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    public Registry(HubStorage storage, HubConfig.Limits limits, boolean sparse) {
        this.storage = storage;
        this.limits = limits;
        this.sparse = sparse;
    }

    /** Told the repository's name after a tag of it was written (a push, a mirror's revalidation): the fleet's followers. */
    public void onTagWritten(java.util.function.Consumer<String> listener) {
        tagListener = listener;
    }

    private volatile java.util.function.Consumer<String> tagListener = name -> {};

    public HubStorage storage() {
        return storage;
    }

    static String repoKey(String name) {
        return "repos/" + name;
    }

    private static String blobKey(String name, Digest d) {
        return repoKey(name) + "/_blobs/" + d.algorithm() + "/" + d.hex();
    }

    private static String manifestKey(String name, Digest d) {
        return repoKey(name) + "/_manifests/" + d.algorithm() + "/" + d.hex();
    }

    private static String tagKey(String name, String tag) {
        return repoKey(name) + "/_tags/" + tag;
    }

    private static String referrerKey(String name, Digest subject, Digest d) {
        return repoKey(name) + "/_referrers/" + subject.algorithm() + "-" + subject.hex() + "/" + d.algorithm() + "-" + d.hex();
    }

    // ---------------------------------------------------------------- blobs

    /** The blob's size when the repository has it (as a blob, or as a manifest). */
    public Optional<Long> blobSize(String name, Digest d) {
        if (storage.stat(blobKey(name, d)).isEmpty() && storage.stat(manifestKey(name, d)).isEmpty()) return Optional.empty();
        return storage.statBlob(d).map(HubStorage.Stat::size);
    }

    public InputStream openBlob(Digest d, long offset) {
        return storage.openBlob(d, offset);
    }

    public boolean deleteBlob(String name, Digest d) {
        return storage.delete(blobKey(name, d));
    }

    /** Mounts a blob of another repository (or, with {@code from} null, any stored one); false when absent there. */
    public boolean mount(String name, Digest d, String from) {
        if (from != null && storage.stat(blobKey(from, d)).isEmpty()) return false;
        if (storage.statBlob(d).isEmpty()) return false;
        link(name, d);
        return true;
    }

    void link(String name, Digest d) {
        storage.put(blobKey(name, d), new byte[0]);
    }

    // ---------------------------------------------------------------- uploads

    /** One upload: its staged bytes and the hash of them so far. Requests on it are serialized. */
    public final class Upload {
        public final String id;
        public final String name;
        final HubStorage.Staged staged;
        /** The hash of the first {@code hashed} bytes; null when this process did not see them all (rehashed at the end). */
        MessageDigest md;
        long hashed;
        volatile Instant touched = Instant.now();
        boolean ended;

        Upload(String id, String name, HubStorage.Staged staged, MessageDigest md) {
            this.id = id;
            this.name = name;
            this.staged = staged;
            this.md = md;
        }

        public synchronized long size() {
            return staged.size();
        }

        /**
         * Appends a chunk starting at {@code start} (null: wherever the upload is) of {@code length} bytes (-1:
         * until the stream ends). The chunk lands whole or not at all; its bytes are hashed as they stream in.
         */
        public synchronized long append(InputStream in, Long start, long length) {
            touched = Instant.now();
            if (ended) throw OciError.uploadUnknown(id);
            long size = staged.size();
            if (start != null && start != size) {
                throw new OciError(416, "BLOB_UPLOAD_INVALID", "chunk starts at " + start + ", upload has " + size + " bytes")
                        .header("Range", range(size)).header("Location", location()).header("Docker-Upload-UUID", id);
            }
            long room = limits.maxBlobBytes() - size;
            if (md != null && hashed != size) md = null; // another replica appended a chunk: hash at the end
            MessageDigest next = null;
            try {
                if (md != null) next = (MessageDigest) md.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
            InputStream body = length < 0 ? in : new ExactLength(in, length);
            if (next != null) body = new HashingInputStream(body, next);
            long n;
            try {
                n = staged.append(body, length < 0 ? room : Math.min(length, room));
            } catch (HubStorage.TooLarge e) {
                if (length >= 0 && length <= room) throw OciError.sizeInvalid(400, "more bytes than Content-Length " + length);
                throw OciError.sizeInvalid(413, "a blob is at most " + limits.maxBlobBytes() + " bytes");
            } catch (java.io.UncheckedIOException e) {
                if (e.getCause() instanceof ShortBody sb) throw OciError.sizeInvalid(400, sb.getMessage());
                throw e;
            }
            md = next;
            hashed = size + n;
            touched = Instant.now();
            return n;
        }

        /** Verifies the upload is {@code d}, publishes it and links it into the repository; the upload ends. */
        public synchronized void complete(Digest d) {
            if (ended) throw OciError.uploadUnknown(id);
            ended = true;
            forget();
            try {
                Digest got;
                if (md != null && hashed == staged.size() && d.algorithm().equals(algorithmOf(md))) {
                    got = Digest.of(d.algorithm(), md);
                } else {
                    MessageDigest other = d.newDigester();
                    try (InputStream in = staged.read()) {
                        byte[] buf = new byte[128 * 1024];
                        for (int r; (r = in.read(buf)) > 0; ) other.update(buf, 0, r);
                    }
                    got = Digest.of(d.algorithm(), other);
                }
                if (!got.equals(d)) throw OciError.digestInvalid(d + " was given, the " + staged.size() + " bytes are " + got);
                staged.publish(d);
            } catch (IOException e) {
                staged.discard();
                throw AndockException.wrap("verify upload " + id, e);
            } catch (RuntimeException e) {
                staged.discard();
                throw e;
            }
            link(name, d);
        }

        public synchronized void cancel() {
            if (ended) return;
            ended = true;
            forget();
            staged.discard();
        }

        private void forget() {
            uploads.remove(id);
            storage.delete(uploadKey(id));
        }

        public String location() {
            return "/v2/" + name + "/blobs/uploads/" + id;
        }
    }

    public static String range(long size) {
        return "0-" + Math.max(size - 1, 0);
    }

    public Upload startUpload(String name, String algorithm) {
        if (uploads.size() >= limits.maxUploads()) {
            throw new OciError(429, "TOOMANYREQUESTS", "too many uploads in progress (" + limits.maxUploads() + ")");
        }
        String id = UUID.randomUUID().toString();
        HubStorage.Staged staged = storage.stage(id);
        // the record lets a replica sharing the store take the upload's next chunk
        storage.put(uploadKey(id), (name + "\n" + algorithm).getBytes(StandardCharsets.UTF_8));
        Upload u = new Upload(id, name, staged, newDigester(algorithm));
        uploads.put(id, u);
        return u;
    }

    private static String uploadKey(String id) {
        return "_uploads/" + id;
    }

    /** The upload {@code id} of repository {@code name}: this process's, or one another replica began. */
    public Upload upload(String name, String id) {
        Upload u = uploads.get(id);
        if (u == null && id.matches("[0-9a-f-]{36}")) u = resume(id);
        if (u == null || !u.name.equals(name)) throw OciError.uploadUnknown(id);
        return u;
    }

    private Upload resume(String id) {
        Optional<byte[]> record = storage.get(uploadKey(id));
        if (record.isEmpty()) return null;
        String[] nameAlg = new String(record.get(), StandardCharsets.UTF_8).split("\n");
        if (nameAlg.length != 2) return null;
        Optional<HubStorage.Staged> staged = storage.resume(id);
        if (staged.isEmpty()) return null;
        if (uploads.size() >= limits.maxUploads()) {
            throw new OciError(429, "TOOMANYREQUESTS", "too many uploads in progress (" + limits.maxUploads() + ")");
        }
        return uploads.computeIfAbsent(id, k -> new Upload(id, nameAlg[0], staged.get(), null));
    }

    /**
     * Ends uploads nobody touched for {@code idle}: their bytes are dropped. One that another replica took over
     * (its bytes are younger) is only forgotten here.
     */
    public int expireUploads(Duration idle) {
        int n = 0;
        Instant cutoff = Instant.now().minus(idle);
        for (Upload u : List.copyOf(uploads.values())) {
            if (u.touched.isBefore(cutoff)) {
                if (u.staged.modified().isAfter(cutoff)) {
                    uploads.remove(u.id, u);
                    continue;
                }
                u.cancel();
                n++;
            }
        }
        return n;
    }

    /**
     * Drops what uploads of dead processes or replicas left: records whose bytes are older than {@code idle} (or
     * gone), and staged bytes older than that.
     */
    public int sweepUploads(Duration idle) {
        int n = 0;
        Instant cutoff = Instant.now().minus(idle);
        for (String id : storage.children("_uploads")) {
            if (uploads.containsKey(id)) continue;
            Optional<HubStorage.Staged> staged = storage.resume(id); // empty: its bytes are gone (a restart cleaned them)
            if (staged.isPresent() && storage.stat(uploadKey(id)).map(st -> st.modified().isAfter(cutoff)).orElse(true)) continue;
            if (staged.isPresent() && staged.get().modified().isAfter(cutoff)) continue;
            staged.ifPresent(HubStorage.Staged::discard);
            storage.delete(uploadKey(id));
            n++;
        }
        storage.cleanStaged(idle);
        return n;
    }

    public int uploadsInProgress() {
        return uploads.size();
    }

    // ---------------------------------------------------------------- manifests

    public record StoredManifest(Digest digest, String mediaType, long size) {}

    /** Resolves a tag or digest in the repository. */
    public Optional<StoredManifest> manifest(String name, String ref) {
        Digest d;
        if (Names.isTag(ref)) {
            Optional<byte[]> t = storage.get(tagKey(name, ref));
            if (t.isEmpty()) return Optional.empty();
            d = Digest.parse(new String(t.get(), StandardCharsets.UTF_8).trim());
        } else {
            d = Names.digest(ref);
        }
        Optional<byte[]> mt = storage.get(manifestKey(name, d));
        if (mt.isEmpty()) return Optional.empty();
        Optional<HubStorage.Stat> st = storage.statBlob(d);
        if (st.isEmpty()) return Optional.empty();
        return Optional.of(new StoredManifest(d, new String(mt.get(), StandardCharsets.UTF_8), st.get().size()));
    }

    public byte[] readBlob(Digest d, long max) {
        try (InputStream in = storage.openBlob(d, 0)) {
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (b.length > max) throw AndockException.corrupt("blob " + d + " is larger than " + max + " bytes");
            return b;
        } catch (IOException e) {
            throw AndockException.wrap("read " + d, e);
        }
    }

    public record PutResult(Digest digest, Digest subject, List<String> tags) {}

    /**
     * Stores a manifest byte for byte. {@code ref} is a tag or the digest the bytes must have; {@code extraTags}
     * are the {@code ?tag=} parameters.
     */
    public PutResult putManifest(String name, String ref, String contentType, byte[] body, List<String> extraTags) {
        return putManifest(name, ref, contentType, body, extraTags, !sparse);
    }

    /** When the tag was last written or revalidated (a mirrored tag's age). */
    public Optional<Instant> tagTime(String name, String tag) {
        return storage.stat(tagKey(name, tag)).map(HubStorage.Stat::modified);
    }

    /**
     * {@code checkReferences}: refuse a manifest naming blobs or manifests the repository lacks (a mirror stores
     * its upstream's manifests before their blobs, which come on demand).
     */
    public PutResult putManifest(String name, String ref, String contentType, byte[] body, List<String> extraTags, boolean checkReferences) {
        Digest d;
        List<String> tags = new ArrayList<>();
        if (Names.isTag(ref)) {
            d = digestOf("sha256", body);
            tags.add(ref);
        } else {
            Digest want = Names.digest(ref);
            d = digestOf(want.algorithm(), body);
            if (!d.equals(want)) throw OciError.digestInvalid(want + " was given, the manifest is " + d);
        }
        for (String t : extraTags) if (!tags.contains(Names.tag(t))) tags.add(t);
        JsonObject m;
        try {
            m = JsonObject.of(Json.parse(body));
        } catch (RuntimeException e) {
            throw OciError.manifestInvalid("not a JSON object: " + e.getMessage());
        }
        String bodyType = stringField(m, "mediaType");
        String mediaType = contentType == null || contentType.isBlank() ? null : contentType.split(";")[0].trim();
        if (mediaType == null) mediaType = bodyType != null ? bodyType : guessType(m);
        if (bodyType != null && !bodyType.equals(mediaType)) {
            throw OciError.manifestInvalid("Content-Type " + mediaType + " but mediaType " + bodyType + " in the manifest");
        }
        Digest subject = null;
        Map<String, Object> referrer = null;
        try {
            List<String> missing = new ArrayList<>();
            if (m.has("config") || m.has("layers")) {
                JsonObject config = m.object("config");
                Digest cd = descriptorDigest(config, "config");
                if (cd != null && blobSize(name, cd).isEmpty() && checkReferences) missing.add("config " + cd);
                for (JsonObject l : m.objects("layers")) {
                    Digest ld = descriptorDigest(l, "layer");
                    String lt = l.string("mediaType", "");
                    boolean foreign = lt.contains("nondistributable") || lt.contains("foreign") || l.has("urls");
                    if (!foreign && checkReferences && blobSize(name, ld).isEmpty()) missing.add("layer " + ld);
                }
            }
            if (m.has("manifests")) {
                for (JsonObject c : m.objects("manifests")) {
                    Digest cd = descriptorDigest(c, "manifest");
                    if (checkReferences && storage.stat(manifestKey(name, cd)).isEmpty()) missing.add("manifest " + cd);
                }
            }
            if (!missing.isEmpty()) {
                throw new OciError(400, "MANIFEST_BLOB_UNKNOWN", "manifest references what " + name + " lacks: "
                        + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
            }
            if (m.has("subject")) {
                JsonObject s = m.object("subject");
                subject = descriptorDigest(s, "subject");
                referrer = new LinkedHashMap<>();
                referrer.put("mediaType", mediaType);
                referrer.put("digest", d.toString());
                referrer.put("size", (long) body.length);
                String artifactType = m.string("artifactType");
                if (artifactType == null && m.has("config")) artifactType = m.object("config").string("mediaType");
                if (artifactType != null) referrer.put("artifactType", artifactType);
                if (m.has("annotations")) referrer.put("annotations", m.map().get("annotations"));
            }
        } catch (AndockException e) {
            throw OciError.manifestInvalid(e.getMessage());
        }
        // content first, then the keys that name it
        if (storage.statBlob(d).isEmpty()) {
            HubStorage.Staged s = storage.stage(UUID.randomUUID().toString());
            try {
                s.append(new ByteArrayInputStream(body), body.length);
                s.publish(d);
            } catch (RuntimeException e) {
                s.discard();
                throw e;
            }
        }
        storage.put(manifestKey(name, d), mediaType.getBytes(StandardCharsets.UTF_8));
        if (referrer != null) storage.put(referrerKey(name, subject, d), Json.writeBytes(referrer));
        for (String t : tags) storage.put(tagKey(name, t), d.toString().getBytes(StandardCharsets.UTF_8));
        if (!tags.isEmpty()) tagListener.accept(name);
        return new PutResult(d, subject, tags);
    }

    private static String guessType(JsonObject m) {
        if (m.has("manifests")) return OCI_INDEX;
        return OCI_MANIFEST;
    }

    private static String stringField(JsonObject m, String key) {
        try {
            return m.string(key);
        } catch (AndockException e) {
            throw OciError.manifestInvalid(e.getMessage());
        }
    }

    private static Digest descriptorDigest(JsonObject desc, String what) {
        if (desc == null || desc.map().isEmpty()) return null;
        String s = desc.string("digest");
        if (s == null || !Digest.isDigest(s)) throw OciError.manifestInvalid(what + " has an invalid digest " + Names.Printable.of(s));
        if (desc.number("size", -1) < 0) throw OciError.manifestInvalid(what + " " + s + " has no valid size");
        return Digest.parse(s);
    }

    /** Deletes a tag, or a manifest by digest with the tags pointing at it and its referrer entry. */
    public boolean deleteManifest(String name, String ref) {
        if (Names.isTag(ref)) return storage.delete(tagKey(name, ref));
        Digest d = Names.digest(ref);
        if (storage.stat(manifestKey(name, d)).isEmpty()) return false;
        for (String t : tags(name)) {
            Optional<byte[]> v = storage.get(tagKey(name, t));
            if (v.isPresent() && new String(v.get(), StandardCharsets.UTF_8).trim().equals(d.toString())) storage.delete(tagKey(name, t));
        }
        try {
            JsonObject m = JsonObject.of(Json.parse(readBlob(d, limits.maxManifestBytes())));
            if (m.has("subject")) {
                Digest s = Digest.parse(m.object("subject").string("digest"));
                storage.delete(referrerKey(name, s, d));
            }
        } catch (RuntimeException e) {
            LOG.fine("delete " + name + "@" + d + ": its referrer entry not removed: " + e);
        }
        return storage.delete(manifestKey(name, d));
    }

    // ---------------------------------------------------------------- tags, referrers, catalog

    public boolean repositoryExists(String name) {
        return !storage.children(repoKey(name)).isEmpty();
    }

    public List<String> tags(String name) {
        return storage.children(repoKey(name) + "/_tags");
    }

    /** The referrers of {@code subject} as descriptors, filtered by artifact type when one is given. */
    public List<Map<String, Object>> referrers(String name, Digest subject, String artifactType) {
        List<Map<String, Object>> out = new ArrayList<>();
        String prefix = repoKey(name) + "/_referrers/" + subject.algorithm() + "-" + subject.hex();
        for (String c : storage.children(prefix)) {
            Optional<byte[]> v = storage.get(prefix + "/" + c);
            if (v.isEmpty()) continue;
            Map<String, Object> desc = Json.parseObject(v.get());
            Digest d = Digest.parse((String) desc.get("digest"));
            if (storage.stat(manifestKey(name, d)).isEmpty()) continue;
            if (artifactType != null && !artifactType.equals(desc.get("artifactType"))) continue;
            out.add(desc);
        }
        return out;
    }

    /** Every repository name, sorted. */
    public List<String> catalog() {
        List<String> out = new ArrayList<>();
        walk("", out);
        out.sort(null);
        return out;
    }

    private void walk(String name, List<String> out) {
        String key = name.isEmpty() ? "repos" : repoKey(name);
        boolean repo = false;
        for (String c : storage.children(key)) {
            if (c.startsWith("_")) repo = true;
            else walk(name.isEmpty() ? c : name + "/" + c, out);
        }
        if (repo) out.add(name);
    }

    // ---------------------------------------------------------------- helpers

    static MessageDigest newDigester(String algorithm) {
        try {
            return MessageDigest.getInstance("sha512".equals(algorithm) ? "SHA-512" : "SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String algorithmOf(MessageDigest md) {
        return md.getAlgorithm().equals("SHA-512") ? "sha512" : "sha256";
    }

    static Digest digestOf(String algorithm, byte[] body) {
        MessageDigest md = newDigester(algorithm);
        md.update(body);
        return Digest.of(algorithm, md);
    }

    /** A body shorter than it said. */
    static final class ShortBody extends IOException {
        ShortBody(String m) { // also: longer than it said
            super(m);
        }
    }

    /** Ends after exactly {@code length} bytes; ending earlier is a {@link ShortBody}. */
    static final class ExactLength extends FilterInputStream {
        private long left;
        private final long length;

        ExactLength(InputStream in, long length) {
            super(in);
            this.left = length;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                if (in.read() >= 0) throw new ShortBody("the body is longer than its " + length + " bytes");
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new ShortBody("the body ended after " + (length - left) + " of " + length + " bytes");
            left -= n;
            return n;
        }
    }

    static final class HashingInputStream extends FilterInputStream {
        private final MessageDigest md;

        HashingInputStream(InputStream in, MessageDigest md) {
            super(in);
            this.md = md;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) md.update(b, off, n);
            return n;
        }
    }
}
