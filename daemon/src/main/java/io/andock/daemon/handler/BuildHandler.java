package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.builder.BuildOptions;
import io.andock.builder.BuildRequest;
import io.andock.daemon.backend.ImageBackend;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Errors;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.JsonLines;
import io.andock.daemon.http.Query;
import io.andock.daemon.http.Router;
import io.andock.engine.HostTrees;
import io.andock.image.Platform;
import io.andock.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /build}, the classic builder ({@code version=1}; BuildKit's {@code version=2} is refused). The body is
 * the context as a tar, plain or compressed (detected); it is hostile input, so it is unpacked as a layer is
 * ({@link HostTrees}, the layer applier's rules: no escapes, no device nodes, no owners, size and entry limits) into a temporary directory
 * under {@code tmp}, which is deleted after the build. The reply is Docker's JSON stream: the builder's lines as
 * {@code stream}, {@code aux.ID} before {@code Successfully built} (docker-java needs the latter), and a failure
 * after the first line in-band with {@code errorDetail.code} set to a failed RUN's exit code (the CLI exits with it).
 *
 * <p>Query parameters used: {@code t} (repeated), {@code dockerfile}, {@code buildargs}, {@code target},
 * {@code nocache}, {@code platform}, {@code q}, {@code labels} (a JSON object, set on the image like a final LABEL).
 * Also {@code extrahosts} ({@code --add-host}, into each RUN's /etc/hosts). Ignored: {@code rm}, {@code forcerm},
 * {@code pull} (a missing base is always pulled), resource limits, {@code networkmode}. {@code cachefrom} (a JSON
 * array) limits cache hits to the layers of those local images, as dockerd's classic builder.
 */
public final class BuildHandler {
    private static final Pattern EXIT_CODE = Pattern.compile("returned a non-zero code: (\\d+)");
    private static final long MAX_DRAIN = 1 << 20;
    private final ImageBackend images;
    private final Path tmp;

    /** @param tmp where context directories are made (created when missing) */
    public BuildHandler(ImageBackend images, Path tmp) {
        this.images = images;
        this.tmp = tmp;
    }

    public void register(Router r) {
        r.post("/build", this::build);
    }

    /** What the query asks, before the context exists. */
    private record Params(List<String> tags, String dockerfile, BuildOptions options, boolean noCache, boolean quiet,
                          Map<String, String> labels, List<String> cacheFrom) {
    }

    void build(Exchange x) throws IOException {
        Params p = params(x.query());
        Path dir = HostTrees.scratchDir(tmp, "build-context"); // swept if a kill -9 cuts the finally
        try {
            unpack(x.body(), dir);
            Path dockerfile = dockerfile(dir, p.dockerfile());
            BuildRequest req = new BuildRequest(dir, dockerfile, p.tags(), p.options(), p.noCache(), null, null, p.quiet(),
                    p.labels(), p.cacheFrom());
            run(x, req);
        } finally {
            try {
                HostTrees.delete(dir);
            } catch (IOException ignored) {
                // a later cleanup of tmp removes it
            }
        }
    }

    static Params params(Query q) {
        String version = q.get("version", "1");
        if (!version.equals("1")) {
            throw ApiException.badRequest("BuildKit builds (version=" + version + ") are not supported: set DOCKER_BUILDKIT=0");
        }
        if (!q.get("remote", "").isEmpty()) throw ApiException.notImplemented("remote build contexts are not supported");
        Map<String, String> args = new LinkedHashMap<>();
        jsonMap(q, "buildargs").forEach((k, v) -> args.put(k, v == null ? null : v.toString()));
        String platform = q.get("platform", "");
        Platform target;
        try {
            target = platform.isEmpty() ? null : Platform.parse(platform);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid platform " + platform + ": " + Errors.message(e));
        }
        List<String> hosts = new java.util.ArrayList<>(); // the CLI joins --add-host values with commas
        for (String v : q.all("extrahosts")) for (String h : v.split(",")) if (!h.isBlank()) hosts.add(h.strip());
        BuildOptions options = BuildOptions.defaults().withBuildArgs(args).withTarget(q.get("target", null))
                .withPlatforms(target, null).withExtraHosts(hosts);
        Map<String, String> labels = new LinkedHashMap<>();
        jsonMap(q, "labels").forEach((k, v) -> {
            if (k.isEmpty()) throw ApiException.badRequest("labels: a label needs a key");
            labels.put(k, v == null ? "" : v.toString());
        });
        List<String> tags = q.all("t").stream().filter(t -> !t.isEmpty()).toList();
        return new Params(tags, q.get("dockerfile", "Dockerfile"), options, q.bool("nocache", false),
                q.bool("q", false), labels, cacheFrom(q));
    }

    /** {@code cachefrom}: a JSON array of image names (the CLI's --cache-from), at most 64. */
    private static List<String> cacheFrom(Query q) {
        String s = q.get("cachefrom", "");
        if (s.isEmpty() || s.equals("null")) return List.of();
        Object parsed;
        try {
            parsed = Json.parse(s);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cachefrom: not a JSON array: " + s);
        }
        if (!(parsed instanceof List<?> l) || l.size() > 64) throw ApiException.badRequest("cachefrom: not a JSON array of at most 64 names");
        return l.stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> jsonMap(Query q, String key) {
        String s = q.get(key, "");
        if (s.isEmpty() || s.equals("null")) return Map.of();
        try {
            if (Json.parse(s) instanceof Map<?, ?> m) {
                Map<String, Object> r = new LinkedHashMap<>();
                m.forEach((k, v) -> r.put(String.valueOf(k), v));
                return r;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw ApiException.badRequest(key + ": not a JSON object: " + s);
    }

    /** Unpacks the context tar into {@code dir}; a bad archive is the client's (400). */
    private static void unpack(InputStream body, Path dir) throws IOException {
        try {
            HostTrees.unpackContext(body, dir, MAX_DRAIN);
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.CORRUPT) throw ApiException.badRequest("invalid build context: " + e.getMessage());
            throw e;
        }
    }

    /** The Dockerfile named by the query: a path inside the context, symlinks resolved inside it too. */
    static Path dockerfile(Path context, String name) throws IOException {
        Path rel = Path.of(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (rel.toString().isEmpty() || rel.startsWith("..")) {
            throw ApiException.badRequest("the Dockerfile (" + name + ") must be within the build context");
        }
        Path file = context.resolve(rel);
        if (!Files.isRegularFile(file)) throw AndockException.notFound("Cannot locate specified Dockerfile: " + name);
        Path real = file.toRealPath();
        if (!real.startsWith(context.toRealPath())) {
            throw ApiException.badRequest("the Dockerfile (" + name + ") must be within the build context");
        }
        return real;
    }

    private void run(Exchange x, BuildRequest req) {
        JsonLines out = new JsonLines(x);
        BuildOutput text = new BuildOutput(out);
        String id;
        try {
            id = images.build(req, text, x::clientGone).imageId().toString();
        } catch (RuntimeException e) {
            fail(out, text, e);
            return;
        }
        text.finish(req.quiet() ? null : id);
        out.finish(null);
    }

    /** Before the first line: a plain HTTP error. After it: in-band, with a failed RUN's exit code. */
    private static void fail(JsonLines out, BuildOutput text, RuntimeException e) {
        try {
            text.finish(null);
        } catch (UncheckedIOException gone) {
            // the client went away; the stream is closed below
        }
        if (!out.started()) throw e;
        String msg = Errors.message(e);
        Map<String, Object> detail = new LinkedHashMap<>();
        Matcher m = EXIT_CODE.matcher(msg);
        if (m.find()) detail.put("code", Integer.parseInt(m.group(1)));
        detail.put("message", msg);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorDetail", detail);
        error.put("error", msg);
        try {
            out.send(error);
        } catch (UncheckedIOException gone) {
            // the client went away
        }
        out.finish(null);
    }
}
