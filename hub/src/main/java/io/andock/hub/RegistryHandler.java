package io.andock.hub;

import io.andock.AndockException;
import io.andock.hub.auth.Access;
import io.andock.image.Digest;
import io.andock.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution API over HTTP (Jetty's core API, blocking handlers on a bounded pool): routing, auth checks,
 * bodies in and out, OCI error bodies. The model is {@link Registry}.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger("andock.hub");
    private static final Logger ACCESS = Logger.getLogger("andock.hub.access");
    private static final Pattern UPLOAD = Pattern.compile("^/v2/(.+)/blobs/uploads/([^/]*)$");
    private static final Pattern ITEM = Pattern.compile("^/v2/(.+)/(manifests|blobs|referrers)/([^/]+)$");
    private static final Pattern TAGS = Pattern.compile("^/v2/(.+)/tags/list$");
    private static final Pattern SYNC = Pattern.compile("^/v2/_andock/sync/(.+)/(plan|packs/([^/]+))$");
    private static final Pattern PERCENT = Pattern.compile("%([0-9A-Fa-f]{2})");
    private final Registry registry;
    private final Access access;
    private final HubConfig config;
    private final Metrics metrics;
    private final Mirror mirror;
    private final io.andock.hub.sync.SyncService sync;
    private final UploadEndpoints uploads;
    private final BlobSender blobs;

    public RegistryHandler(Registry registry, Access access, HubConfig config, Metrics metrics, Mirror mirror) {
        this(registry, access, config, metrics, mirror, null);
    }

    public RegistryHandler(Registry registry, Access access, HubConfig config, Metrics metrics, Mirror mirror,
                           io.andock.hub.sync.SyncService sync) {
        super(InvocationType.BLOCKING);
        this.sync = sync;
        this.mirror = mirror;
        this.registry = registry;
        this.access = access;
        this.uploads = new UploadEndpoints(registry, access);
        this.blobs = new BlobSender(registry, metrics);
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request req, Response resp, Callback cb) {
        long t0 = System.nanoTime();
        Exchange x = new Exchange(req, resp, cb);
        String raw = req.getHttpURI().getPath();
        try {
            x.header("Docker-Distribution-API-Version", "registry/2.0");
            route(x, decode(raw == null ? "/" : raw));
        } catch (Throwable t) {
            fail(x, t);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        metrics.request(x.method, x.status, x.bytesIn, x.bytesOut);
        if (ACCESS.isLoggable(Level.INFO)) {
            ACCESS.info(remote(req) + " " + (x.id != null && x.id.user() != null ? x.id.user() : "-") + " \"" + x.method + " "
                    + Names.Printable.bare(req.getHttpURI().getPathQuery()) + "\" " + x.status + " in=" + x.bytesIn + " out=" + x.bytesOut + " " + ms + "ms");
        }
        return true;
    }

    private static String remote(Request req) {
        try {
            return Request.getRemoteAddr(req);
        } catch (RuntimeException e) {
            return "-";
        }
    }

    /** A client that went away or stalled: the connection is dropped without a warning in the log. */
    static final class ClientGone extends IOException implements org.eclipse.jetty.io.QuietException {
        ClientGone(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    private void fail(Exchange x, Throwable t) {
        OciError e;
        if (t instanceof OciError oe) {
            e = oe;
        } else if (t instanceof AndockException ae) {
            e = switch (ae.kind()) {
                case NOT_FOUND -> new OciError(404, "BLOB_UNKNOWN", ae.getMessage());
                case INVALID_ARGUMENT, UNSUPPORTED -> new OciError(400, "UNSUPPORTED", ae.getMessage());
                case CORRUPT -> new OciError(400, "DIGEST_INVALID", ae.getMessage());
                default -> new OciError(500, "UNKNOWN", ae.getMessage());
            };
            if (e.status >= 500) LOG.log(Level.WARNING, x.method + " " + x.req.getHttpURI().getPath() + ": " + ae, ae);
        } else if (t instanceof IOException || t instanceof java.io.UncheckedIOException) {
            // the client went away or stalled past the read timeout: nothing to answer to
            LOG.fine(x.method + " " + x.req.getHttpURI().getPath() + ": " + t);
            x.status = 400;
            if (!x.done) {
                x.done = true;
                x.cb.failed(new ClientGone(t));
            }
            return;
        } else {
            LOG.log(Level.WARNING, x.method + " " + x.req.getHttpURI().getPath() + ": " + t, t);
            e = new OciError(500, "UNKNOWN", "internal error: " + t);
        }
        if (x.done || x.resp.isCommitted()) {
            if (!x.done) {
                x.done = true;
                x.cb.failed(t);
            }
            return;
        }
        for (Map.Entry<String, String> h : e.headers.entrySet()) x.header(h.getKey(), h.getValue());
        // what is left of a refused body is read and dropped (bounded), so its client reads the answer
        if (!x.method.equals("GET") && !x.method.equals("HEAD")) drain(x);
        x.reply(e.status, "application/json", e.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void drain(Exchange x) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            InputStream in = Content.Source.asInputStream(x.req);
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (total > (8 << 20) || System.nanoTime() > deadline) {
                    x.resp.getHeaders().put(HttpHeader.CONNECTION, "close");
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            x.resp.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /**
     * The path with its escapes undone: only {@code %3A} (a digest's colon) may be escaped; anything else escaped
     * in a name, reference or digest is refused, and so are empty, {@code .} and {@code ..} segments.
     */
    static String decode(String raw) {
        String p = raw;
        if (p.indexOf('%') >= 0) {
            Matcher m = PERCENT.matcher(p);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                if (!m.group(1).equalsIgnoreCase("3A")) throw OciError.nameInvalid("escaped characters in " + Names.Printable.of(raw));
                m.appendReplacement(b, ":");
            }
            m.appendTail(b);
            p = b.toString();
            if (p.indexOf('%') >= 0) throw OciError.nameInvalid("stray % in " + Names.Printable.of(raw));
        }
        if (!p.startsWith("/")) throw OciError.nameInvalid(Names.Printable.of(raw));
        String[] segs = p.substring(1).split("/", -1);
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            boolean lastEmpty = i == segs.length - 1 && s.isEmpty(); // "/v2/" and ".../uploads/"
            if ((s.isEmpty() && !lastEmpty) || s.equals(".") || s.equals("..")) {
                throw OciError.nameInvalid("path " + Names.Printable.of(raw) + " has an empty, . or .. segment");
            }
        }
        return p;
    }

    private void route(Exchange x, String path) throws IOException {
        String m = x.method;
        if (path.equals("/token")) {
            TokenEndpoint.serve(x, access);
            return;
        }
        if (path.equals("/metrics") && m.equals("GET")) {
            x.reply(200, "text/plain; version=0.0.4", (metrics.text(registry) + (mirror != null ? mirror.metrics() : "")).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            need(x, null, null);
            if (!m.equals("GET") && !m.equals("HEAD")) throw OciError.unsupported(m + " /v2/");
            x.json(200, "application/json", Map.of());
            return;
        }
        if (sync != null && path.startsWith("/v2/_andock/sync")) {
            syncRoute(x, path);
            return;
        }
        if (path.equals("/v2/_catalog")) {
            if (!m.equals("GET")) throw OciError.unsupported(m + " on the catalog");
            catalog(x);
            return;
        }
        Matcher u = UPLOAD.matcher(path);
        if (u.matches()) {
            String name = Names.repository(u.group(1));
            String id = u.group(2);
            writable(name);
            if (id.isEmpty()) {
                if (!m.equals("POST")) throw OciError.unsupported(m + " on blob uploads");
                need(x, name, "push");
                uploads.post(x, name);
            } else {
                need(x, name, "push");
                switch (m) {
                    case "PATCH" -> uploads.patch(x, name, id);
                    case "PUT" -> uploads.put(x, name, id);
                    case "GET", "HEAD" -> UploadEndpoints.status(x, registry.upload(name, id), 204);
                    case "DELETE" -> {
                        registry.upload(name, id).cancel();
                        x.empty(204);
                    }
                    default -> throw OciError.unsupported(m + " on an upload");
                }
            }
            return;
        }
        Matcher t = TAGS.matcher(path);
        if (t.matches()) {
            String name = Names.repository(t.group(1));
            need(x, name, "pull");
            if (!m.equals("GET") && !m.equals("HEAD")) throw OciError.unsupported(m + " on a tag list");
            Optional<Mirror.Target> mt = mirrorTarget(x, name);
            if (mt.isPresent()) listTags(x, name, mirror.tags(mt.get()));
            else tags(x, name);
            return;
        }
        Matcher i = ITEM.matcher(path);
        if (i.matches()) {
            String name = Names.repository(i.group(1));
            String ref = i.group(3);
            switch (i.group(2)) {
                case "manifests" -> {
                    if (!Names.isTag(ref)) Names.digest(ref);
                    switch (m) {
                        case "GET", "HEAD" -> {
                            need(x, name, "pull");
                            Optional<Mirror.Target> mt = mirrorTarget(x, name);
                            if (mt.isPresent()) mirroredManifest(x, mt.get(), ref);
                            else getManifest(x, name, ref);
                        }
                        case "PUT" -> {
                            need(x, name, "push");
                            writable(name);
                            putManifest(x, name, ref);
                        }
                        case "DELETE" -> {
                            need(x, name, "delete");
                            writable(name);
                            if (!registry.deleteManifest(name, ref)) throw OciError.manifestUnknown(ref);
                            x.empty(202);
                        }
                        default -> throw OciError.unsupported(m + " on a manifest");
                    }
                }
                case "blobs" -> {
                    Digest d = Names.digest(ref);
                    switch (m) {
                        case "GET", "HEAD" -> {
                            need(x, name, "pull");
                            Optional<Mirror.Target> mt = mirrorTarget(x, name);
                            if (mt.isPresent()) mirroredBlob(x, mt.get(), d);
                            else getBlob(x, name, d);
                        }
                        case "DELETE" -> {
                            need(x, name, "delete");
                            writable(name);
                            if (!registry.deleteBlob(name, d)) throw OciError.blobUnknown(d.toString());
                            x.empty(202);
                        }
                        default -> throw OciError.unsupported(m + " on a blob");
                    }
                }
                default -> {
                    Digest d = Names.digest(ref);
                    need(x, name, "pull");
                    if (!m.equals("GET")) throw OciError.unsupported(m + " on referrers");
                    Optional<Mirror.Target> mt = mirrorTarget(x, name);
                    if (mt.isPresent()) mirroredReferrers(x, mt.get(), d);
                    else referrers(x, name, d);
                }
            }
            return;
        }
        if (path.startsWith("/v2/")) throw new OciError(404, "NAME_UNKNOWN", "no such endpoint: " + Names.Printable.of(path));
        throw new OciError(404, "UNSUPPORTED", "not found: " + Names.Printable.of(path));
    }

    // ---------------------------------------------------------------- sync (io.andock.hub.sync)

    private void syncRoute(Exchange x, String path) throws IOException {
        if (path.equals("/v2/_andock/sync")) {
            need(x, null, null);
            if (!x.method.equals("GET")) throw OciError.unsupported(x.method + " on sync discovery");
            x.json(200, "application/json", sync.discovery());
            return;
        }
        Matcher s = SYNC.matcher(path);
        if (!s.matches()) throw new OciError(404, "NAME_UNKNOWN", "no such endpoint: " + Names.Printable.of(path));
        String name = Names.repository(s.group(1));
        need(x, name, "pull");
        if (s.group(3) == null) {
            if (!x.method.equals("POST")) throw OciError.unsupported(x.method + " on a sync plan");
            long max = config.limits().maxManifestBytes();
            byte[] body = x.body().readNBytes((int) max + 1);
            if (body.length > max) throw OciError.sizeInvalid(413, "a sync plan request is at most " + max + " bytes");
            x.json(200, "application/json", sync.plan(name, body, (n, d) -> registry.blobSize(n, d).isPresent()));
            return;
        }
        if (!x.method.equals("GET") && !x.method.equals("HEAD")) throw OciError.unsupported(x.method + " on a sync pack");
        Digest d = Names.digest(s.group(3));
        long size = sync.packSize(name, d).orElseThrow(() -> OciError.blobUnknown(d.toString()));
        blobs.send(x, d, size);
    }

    // ---------------------------------------------------------------- mirror

    private Optional<Mirror.Target> mirrorTarget(Exchange x, String name) {
        if (mirror == null || !mirror.enabled()) return Optional.empty();
        String ns = x.param("ns");
        boolean local = ns == null && !mirror.mirrored(name) && registry.repositoryExists(name);
        return mirror.target(name, ns, local);
    }

    private void writable(String name) {
        if (mirror != null && mirror.mirrored(name)) throw new OciError(405, "UNSUPPORTED", name + " mirrors an upstream registry: it is read-only");
    }

    private void mirroredManifest(Exchange x, Mirror.Target t, String ref) {
        Mirror.Served s = mirror.manifest(t, ref);
        if (s.stale()) x.header("Warning", "110 - \"Response is Stale\"");
        getManifest(x, t.cacheName(), s.manifest().digest().toString());
    }

    private void mirroredBlob(Exchange x, Mirror.Target t, Digest d) throws IOException {
        if (registry.blobSize(t.cacheName(), d).isPresent()) {
            mirror.hit();
            mirror.used(d);
            getBlob(x, t.cacheName(), d);
            return;
        }
        java.util.OptionalLong size = mirror.blobSize(t, d);
        if (size.isEmpty()) throw OciError.blobUnknown(t.upstream().name() + "/" + t.repo() + "@" + d);
        if (registry.storage().statBlob(d).map(st -> st.size() == size.getAsLong()).orElse(false)) {
            registry.link(t.cacheName(), d); // content by digest: verified when it came, whoever asked for it
            mirror.hit();
            getBlob(x, t.cacheName(), d);
            return;
        }
        Mirror.Flight f = mirror.fetch(t, d, size.getAsLong());
        x.header("Docker-Content-Digest", d.toString());
        x.header("Content-Type", "application/octet-stream");
        x.status = 200;
        x.resp.setStatus(200);
        x.resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, size.getAsLong());
        if (x.method.equals("HEAD")) {
            x.done = true;
            x.resp.write(true, BufferUtil.EMPTY_BUFFER, x.cb);
            return;
        }
        RetainableByteBuffer buf = x.req.getComponents().getByteBufferPool().acquire(BlobSender.BUFFER, true);
        try {
            f.follow(buf.getByteBuffer(), b -> {
                int n = b.remaining();
                try (Blocker.Callback sent = Blocker.callback()) {
                    x.resp.write(false, b, sent);
                    sent.block();
                }
                x.bytesOut += n;
            }, java.time.Duration.ofSeconds(config.limits().readTimeoutSeconds()));
        } finally {
            buf.release();
        }
        x.done = true;
        x.resp.write(true, BufferUtil.EMPTY_BUFFER, x.cb);
    }

    // ---------------------------------------------------------------- auth

    /** Demands {@code action} on {@code name} (null name: just a valid sign-in, for /v2/). */
    private void need(Exchange x, String name, String action) {
        if (!access.enabled()) return;
        if (x.id == null) x.id = access.identify(x.header("Authorization"));
        Access.Identity id = x.id;
        if (!id.badCredentials()) {
            if (name == null) {
                if (id.user() != null || id.granted() != null) return;
            } else if (access.allowed(id, name, action)) {
                return;
            }
        }
        boolean signedIn = id.user() != null && !id.badCredentials();
        if (signedIn && name != null && !access.rights(id.user(), name).contains(action)) {
            throw OciError.denied(id.user() + " may not " + action + " " + name);
        }
        String scope = name == null ? null : "repository:" + name + ":" + (action.equals("pull") ? "pull" : action.equals("delete") ? "delete" : "pull,push");
        throw new OciError(401, "UNAUTHORIZED", "authentication required").header("WWW-Authenticate", challenge(x, scope));
    }

    private String challenge(Exchange x, String scope) {
        String host = Request.getServerName(x.req);
        int port = Request.getServerPort(x.req);
        if (host.indexOf('"') >= 0 || host.indexOf('\\') >= 0) host = config.host();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        String scheme = config.tls() != null ? "https" : "http";
        String realm = scheme + "://" + host + ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80) ? "" : ":" + port) + "/token";
        return "Bearer realm=\"" + realm + "\",service=\"andock-hub\"" + (scope == null ? "" : ",scope=\"" + scope + "\"");
    }

    // ---------------------------------------------------------------- blobs

    private void getBlob(Exchange x, String name, Digest d) throws IOException {
        long size = registry.blobSize(name, d).orElseThrow(() -> OciError.blobUnknown(d.toString()));
        blobs.send(x, d, size);
    }

    // ---------------------------------------------------------------- manifests

    private void getManifest(Exchange x, String name, String ref) {
        Registry.StoredManifest m = registry.manifest(name, ref).orElseThrow(() -> OciError.manifestUnknown(ref));
        x.header("Docker-Content-Digest", m.digest().toString());
        if (x.method.equals("HEAD")) {
            x.done = true;
            x.status = 200;
            x.resp.setStatus(200);
            x.resp.getHeaders().put(HttpHeader.CONTENT_TYPE, m.mediaType());
            x.resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, m.size());
            x.resp.write(true, BufferUtil.EMPTY_BUFFER, x.cb);
            return;
        }
        byte[] body = registry.readBlob(m.digest(), Math.max(m.size(), config.limits().maxManifestBytes()));
        x.reply(200, m.mediaType(), body);
    }

    private void putManifest(Exchange x, String name, String ref) throws IOException {
        long max = config.limits().maxManifestBytes();
        long declared = UploadEndpoints.contentLength(x);
        if (declared > max) throw OciError.sizeInvalid(413, "a manifest is at most " + max + " bytes, this one " + declared);
        byte[] body = x.body().readNBytes((int) max + 1);
        if (body.length > max) throw OciError.sizeInvalid(413, "a manifest is at most " + max + " bytes");
        if (declared >= 0 && body.length != declared) throw OciError.sizeInvalid(400, "Content-Length " + declared + ", " + body.length + " bytes received");
        for (String t : x.params("tag")) Names.tag(t);
        // the tag's previous image: the hub prepares the update from it for the devices that follow the tag
        Optional<Registry.StoredManifest> previous = sync != null && Names.isTag(ref) ? registry.manifest(name, ref) : Optional.empty();
        Registry.PutResult r = registry.putManifest(name, ref, x.header("Content-Type"), body, x.params("tag"));
        if (sync != null) {
            byte[] before = previous.filter(p -> !p.digest().equals(r.digest())).map(p -> registry.readBlob(p.digest(), config.limits().maxManifestBytes())).orElse(null);
            sync.arrived(name, body, x.header("Content-Type"), before, previous.map(Registry.StoredManifest::mediaType).orElse(null));
        }
        x.header("Location", "/v2/" + name + "/manifests/" + r.digest());
        x.header("Docker-Content-Digest", r.digest().toString());
        if (r.subject() != null) x.header("OCI-Subject", r.subject().toString());
        if (!r.tags().isEmpty() && !x.params("tag").isEmpty()) x.header("OCI-Tag", String.join(", ", r.tags()));
        x.empty(201);
    }

    // ---------------------------------------------------------------- lists

    private void tags(Exchange x, String name) {
        if (!registry.repositoryExists(name)) throw OciError.nameUnknown(name);
        listTags(x, name, registry.tags(name));
    }

    private void listTags(Exchange x, String name, List<String> all) {
        Page p = page(x, all);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", p.items);
        if (p.more) x.header("Link", "</v2/" + name + "/tags/list?n=" + p.n + "&last=" + p.items.get(p.items.size() - 1) + ">; rel=\"next\"");
        x.json(200, "application/json", body);
    }

    private void catalog(Exchange x) {
        if (access.enabled()) {
            if (x.id == null) x.id = access.identify(x.header("Authorization"));
            if (x.id.badCredentials() || (x.id.user() == null && x.id.granted() == null && !access.rights(null, "x").contains("pull")
                    && access.rights(null, "").isEmpty())) {
                throw new OciError(401, "UNAUTHORIZED", "authentication required").header("WWW-Authenticate", challenge(x, "registry:catalog:*"));
            }
        }
        List<String> all = registry.catalog();
        if (access.enabled()) all = all.stream().filter(n -> access.rights(x.id.user(), n).contains("pull")).toList();
        Page p = page(x, all);
        if (p.more) x.header("Link", "</v2/_catalog?n=" + p.n + "&last=" + p.items.get(p.items.size() - 1) + ">; rel=\"next\"");
        x.json(200, "application/json", Map.of("repositories", p.items));
    }

    private record Page(List<String> items, boolean more, int n) {}

    private static Page page(Exchange x, List<String> sorted) {
        String last = x.param("last");
        String ns = x.param("n");
        List<String> rest = sorted;
        if (last != null) rest = sorted.stream().filter(s -> s.compareTo(last) > 0).toList();
        if (ns == null) return new Page(rest, false, 0);
        int n;
        try {
            n = Integer.parseInt(ns);
        } catch (NumberFormatException e) {
            throw new OciError(400, "PAGINATION_NUMBER_INVALID", "invalid n " + Names.Printable.of(ns));
        }
        if (n < 0) throw new OciError(400, "PAGINATION_NUMBER_INVALID", "invalid n " + n);
        if (rest.size() <= n) return new Page(rest, false, n);
        return new Page(rest.subList(0, n), n > 0, n);
    }

    private void mirroredReferrers(Exchange x, Mirror.Target t, Digest subject) {
        Mirror.Referrers r = mirror.referrers(t, subject, x.param("artifactType"));
        if (r.stale()) x.header("Warning", "110 - \"Response is Stale\"");
        if (r.filtered()) x.header("OCI-Filters-Applied", "artifactType");
        referrersIndex(x, r.manifests());
    }

    private void referrers(Exchange x, String name, Digest subject) {
        String type = x.param("artifactType");
        List<Map<String, Object>> list = registry.referrers(name, subject, type);
        if (type != null) x.header("OCI-Filters-Applied", "artifactType");
        referrersIndex(x, list);
    }

    private void referrersIndex(Exchange x, List<Map<String, Object>> list) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemaVersion", 2);
        body.put("mediaType", Registry.OCI_INDEX);
        body.put("manifests", list);
        x.json(200, Registry.OCI_INDEX, body);
    }
}
