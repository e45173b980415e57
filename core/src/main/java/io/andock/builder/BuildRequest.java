package io.andock.builder;

import io.andock.dockerfile.Dockerfile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code andock build}: where the context and the Dockerfile are, what to build ({@link BuildOptions}), the
 * names to give the result, and how.
 *
 * @param context     the build context directory
 * @param dockerfile  the Dockerfile, anywhere (Docker allows {@code -f} outside the context); null for
 *                    {@code <context>/Dockerfile}
 * @param tags        {@code -t} names, in order; empty for an untagged (dangling) image
 * @param options     build args, target, platforms
 * @param noCache     {@code --no-cache}: run every step (the results still fill the cache)
 * @param compression how new layers are compressed
 * @param driver      {@code --driver} for RUN steps, or null for the engine's choice
 * @param quiet       {@code -q}: print only the image ID (RUN output suppressed)
 * @param labels      {@code --label k=v}: set on the target image's config after its last instruction, as a
 *                    final {@code LABEL} would (no history entry); empty for none
 */
public record BuildRequest(Path context, Path dockerfile, List<String> tags, BuildOptions options, boolean noCache,
                           Compression compression, String driver, boolean quiet,
                           Map<String, String> labels, List<String> cacheFrom) {

    public enum Compression { GZIP, ZSTD }

    public BuildRequest {
        if (context == null) throw io.andock.AndockException.invalid("a build context directory is required");
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (options == null) options = BuildOptions.defaults();
        if (compression == null) compression = Compression.GZIP;
        Map<String, String> l = new LinkedHashMap<>();
        if (labels != null) labels.forEach((k, v) -> {
            if (k == null || k.isEmpty()) throw io.andock.AndockException.invalid("a build label needs a key");
            l.put(k, v == null ? "" : v);
        });
        labels = java.util.Collections.unmodifiableMap(l);
        cacheFrom = cacheFrom == null ? List.of() : List.copyOf(cacheFrom);
    }

    /** As above without {@code --cache-from}. */
    public BuildRequest(Path context, Path dockerfile, List<String> tags, BuildOptions options, boolean noCache,
                        Compression compression, String driver, boolean quiet, Map<String, String> labels) {
        this(context, dockerfile, tags, options, noCache, compression, driver, quiet, labels, List.of());
    }

    /** A request without {@code --label}s. */
    public BuildRequest(Path context, Path dockerfile, List<String> tags, BuildOptions options, boolean noCache,
                        Compression compression, String driver, boolean quiet) {
        this(context, dockerfile, tags, options, noCache, compression, driver, quiet, Map.of());
    }

    public static BuildRequest of(Path context) {
        return new BuildRequest(context, null, List.of(), BuildOptions.defaults(), false, Compression.GZIP, null, false, Map.of());
    }

    public BuildRequest withDockerfile(Path f) {
        return new BuildRequest(context, f, tags, options, noCache, compression, driver, quiet, labels, cacheFrom);
    }

    public BuildRequest withTags(List<String> t) {
        return new BuildRequest(context, dockerfile, t, options, noCache, compression, driver, quiet, labels, cacheFrom);
    }

    public BuildRequest withOptions(BuildOptions o) {
        return new BuildRequest(context, dockerfile, tags, o, noCache, compression, driver, quiet, labels, cacheFrom);
    }

    public BuildRequest withNoCache(boolean n) {
        return new BuildRequest(context, dockerfile, tags, options, n, compression, driver, quiet, labels, cacheFrom);
    }

    public BuildRequest withDriver(String d) {
        return new BuildRequest(context, dockerfile, tags, options, noCache, compression, d, quiet, labels, cacheFrom);
    }

    public BuildRequest withLabels(Map<String, String> l) {
        return new BuildRequest(context, dockerfile, tags, options, noCache, compression, driver, quiet, l, cacheFrom);
    }

    /**
     * {@code --cache-from}: with names, cached steps are taken only where these local images hold the step's
     * layer (dockerd's classic builder takes its cache from them only); a name no local image has gives no hits.
     */
    public BuildRequest withCacheFrom(List<String> refs) {
        return new BuildRequest(context, dockerfile, tags, options, noCache, compression, driver, quiet, labels, refs);
    }

    /** The Dockerfile path to read. */
    public Path dockerfilePath() {
        return dockerfile != null ? dockerfile : context.resolve("Dockerfile");
    }
}
