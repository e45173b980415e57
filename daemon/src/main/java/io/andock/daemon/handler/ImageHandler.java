package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.ImageBackend;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.JsonLines;
import io.andock.daemon.http.Router;
import io.andock.daemon.wire.ImageWire;
import io.andock.engine.ImageDetails;
import io.andock.engine.ImageDeletion;
import io.andock.engine.LoadedImage;
import io.andock.engine.PruneReport;
import io.andock.image.Reference;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /images/...}: pull (create), list, inspect, tag, remove, save (get), load, prune, push. */
public final class ImageHandler {
    private final ImageBackend images;
    private final ContainerBackend containers;

    public ImageHandler(ImageBackend images, ContainerBackend containers) {
        this.images = images;
        this.containers = containers;
    }

    public void register(Router r) {
        r.post("/images/create", this::create)
                .get("/images/json", this::list)
                .get("/images/get", this::save)
                .post("/images/load", this::load)
                .post("/images/prune", this::prune)
                .get("/images/search", x -> {
                    throw ApiException.notImplemented("andock cannot search registries");
                })
                .get("/images/{name*}/json", this::inspect)
                .get("/images/{name*}/get", this::save)
                .get("/images/{name*}/history", this::history)
                .post("/images/{name*}/tag", this::tag)
                .post("/images/{name*}/push", this::push)
                .delete("/images/{name*}", this::remove);
    }

    /** {@code docker pull}: {@code fromImage} (maybe with a tag or digest) plus {@code tag}; or {@code docker import}. */
    void create(Exchange x) throws IOException {
        String from = x.query().get("fromImage");
        String tag = x.query().get("tag");
        if (from == null || from.isEmpty()) {
            importImage(x);
            return;
        }
        String ref = from;
        if (tag != null && !tag.isEmpty()) ref = tag.startsWith("sha256:") ? from + "@" + tag : from + ":" + tag;
        String display = Reference.parse(ref).familiar();
        JsonLines out = new JsonLines(x);
        Throwable failure = null;
        try {
            Reference parsed = Reference.parse(ref);
            images.pull(ref, x.query().get("platform"), new PullProgress(out, parsed.repository(), parsed.tagOrDigest()));
            containers.events().publish("image", "pull", display, Map.of("name", display));
        } catch (RuntimeException e) {
            failure = e;
        }
        out.finish(failure);
    }

    /** Sends dockerd's {@code Pulling from repo} line before the first progress message (not before an early error). */
    private static final class PullProgress implements io.andock.transfer.TransferListener {
        private final JsonLines out;
        private final String repo, tag;
        private boolean headed;

        PullProgress(JsonLines out, String repo, String tag) {
            this.out = out;
            this.repo = repo;
            this.tag = tag;
        }

        private synchronized void head() {
            if (headed) return;
            headed = true;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "Pulling from " + repo);
            m.put("id", tag);
            out.send(m);
        }

        @Override
        public void status(String id, String status) {
            head();
            out.status(id, status);
        }

        @Override
        public void progress(String id, String action, long current, long total) {
            head();
            out.progress(id, action, current, total);
        }

        @Override
        public void message(String text) {
            head();
            out.message(text);
        }
    }

    private void importImage(Exchange x) throws IOException {
        String src = x.query().get("fromSrc");
        if (!"-".equals(src)) throw ApiException.badRequest("fromImage or fromSrc=- is required");
        String repo = x.query().get("repo");
        String tag = x.query().get("tag");
        String ref = repo == null || repo.isEmpty() ? null : tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
        String id;
        try (InputStream in = x.body()) {
            id = images.importRootfs(in, ref, x.query().all("changes"), x.query().get("message", ""));
        } catch (AndockException e) {
            // a malformed or hostile tarball is the client's: 400, as for load and a build context
            if (e.kind() == AndockException.Kind.CORRUPT) throw ApiException.badRequest(e.getMessage());
            throw e;
        }
        JsonLines out = new JsonLines(x);
        out.status(id);
        out.finish(null);
    }

    void list(Exchange x) {
        Map<String, List<String>> f = x.query().filters();
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> img : ImageWire.list(images, containersByImage())) {
            if (ImageWire.matches(img, f)) out.add(img);
        }
        x.json(200, out);
    }

    private Map<String, Integer> containersByImage() {
        Map<String, Integer> m = new LinkedHashMap<>();
        images.containerCounts().forEach((id, n) -> m.put(id.toString(), n));
        return m;
    }

    void inspect(Exchange x) {
        x.json(200, ImageWire.inspect(images.inspect(x.param("name"))));
    }

    void history(Exchange x) {
        List<Object> out = new ArrayList<>();
        for (var s : images.history(x.param("name"))) {
            Map<String, Object> m = new LinkedHashMap<>(); // dockerd's order; Tags null below the newest step
            m.put("Comment", s.comment());
            m.put("Created", s.created());
            m.put("CreatedBy", s.createdBy());
            m.put("Id", s.id());
            m.put("Size", s.size());
            m.put("Tags", s.tags().isEmpty() ? null : s.tags());
            out.add(m);
        }
        x.json(200, out);
    }

    void tag(Exchange x) {
        String repo = x.query().get("repo");
        if (repo == null || repo.isEmpty()) throw ApiException.badRequest("repository name is required");
        String tag = x.query().get("tag", "latest");
        String target = repo + ":" + tag;
        images.tag(x.param("name"), target);
        containers.events().publish("image", "tag", images.inspect(target).id().toString(), Map.of("name", Reference.parse(target).familiar()));
        x.status(201);
    }

    /** {@code docker rmi}: the rules about containers (409 conflicts) are core's, {@code Images.remove}. */
    void remove(Exchange x) {
        String name = x.param("name");
        boolean force = x.query().bool("force", false);
        String id = images.inspect(name).id().toString();
        List<Object> out = new ArrayList<>();
        for (ImageDeletion d : images.remove(name, force)) {
            out.add(Map.of(d.key(), d.value()));
            containers.events().publish("image", d.untagged() ? "untag" : "delete", id, Map.of("name", d.value()));
        }
        x.json(200, out);
    }

    void save(Exchange x) throws IOException {
        List<String> names = new ArrayList<>(x.query().all("names"));
        if (x.param("name") != null) names.add(x.param("name"));
        if (names.isEmpty()) throw ApiException.badRequest("no images to save");
        for (String n : names) images.inspect(n); // 404 before any byte
        var out = x.stream("application/x-tar");
        images.save(names, out);
        out.close();
    }

    void load(Exchange x) throws IOException {
        boolean quiet = x.query().bool("quiet", false);
        JsonLines out = new JsonLines(x);
        Throwable failure = null;
        try (InputStream in = x.body()) {
            for (LoadedImage l : images.load(in, quiet ? null : out)) {
                out.stream(l + "\n");
                containers.events().publish("image", "load", l.reference(), Map.of());
            }
        } catch (AndockException e) {
            out.failInBand(e); // dockerd streams every load error (a malformed archive too) after a 200
            return;
        } catch (RuntimeException e) {
            failure = e;
        }
        out.finish(failure);
    }

    /** Dangling images by default; with {@code dangling=false} every image no container uses (core decides which). */
    void prune(Exchange x) {
        Map<String, List<String>> f = x.query().filters();
        boolean all = f.getOrDefault("dangling", List.of("true")).stream().anyMatch(v -> v.equals("false") || v.equals("0"));
        List<String> labels = f.getOrDefault("label", List.of());
        Map<String, Map<String, Object>> byId = new HashMap<>();
        if (!labels.isEmpty()) for (Map<String, Object> img : ImageWire.list(images, Map.of())) byId.putIfAbsent((String) img.get("Id"), img);
        PruneReport report = images.prune(all, id -> {
            Map<String, Object> img = byId.get(id.toString());
            return !labels.isEmpty() && (img == null || !ImageWire.matchesLabels(img, labels));
        });
        List<Object> deleted = new ArrayList<>();
        for (ImageDeletion d : report.deleted()) deleted.add(Map.of(d.key(), d.value()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ImagesDeleted", deleted.isEmpty() ? null : deleted);
        m.put("SpaceReclaimed", report.reclaimedBytes());
        x.json(200, m);
    }

    /** {@code POST /images/{name}/push?tag=}: the name may come fully qualified ({@code docker.io/user/x}). */
    void push(Exchange x) {
        String name = x.param("name");
        String tag = x.query().get("tag");
        String ref = tag == null || tag.isEmpty() ? name : name + ":" + tag;
        JsonLines out = new JsonLines(x);
        Throwable failure = null;
        try {
            Reference r = Reference.parse(ref);
            images.inspect(ref); // in-band, as dockerd: "An image does not exist locally with the tag"
            out.status("The push refers to repository [" + r.familiarName() + "]");
            images.push(ref, out);
            containers.events().publish("image", "push", r.familiar(), Map.of("name", r.familiar()));
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND && !out.started()) {
                out.status("The push refers to repository [" + name + "]");
                failure = AndockException.notFound("An image does not exist locally with the tag: " + name);
            } else {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        out.finish(failure);
    }
}
