package io.andock.builder;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The build cache: step cache key → what the step produced. One small JSON file per key under the cache
 * directory ({@code <root>/build-cache/<hex>.json}), written to a temporary name and renamed, so readers in other
 * processes see a whole entry or none. An entry names its layer blob by digest; the caller checks the blob is still
 * in the content store before trusting the entry (garbage collection may have taken it).
 */
public final class BuildCache {

    /**
     * What a step produced: its layer ({@code null} for a metadata step or a step that changed nothing) and the
     * {@code created} time of its history entry, so a fully cached rebuild yields the very same image ID.
     */
    public record Entry(BuildBackend.Layer layer, String created) {
    }

    private final Path dir;

    public BuildCache(Path dir) {
        this.dir = dir;
    }

    public Optional<Entry> get(String cacheKey) {
        Path f = file(cacheKey);
        try {
            JsonObject o = JsonObject.parse(Files.readAllBytes(f));
            BuildBackend.Layer layer = null;
            if (o.has("layer")) {
                layer = new BuildBackend.Layer(Descriptor.fromJson(o.object("layer")), Digest.parse(o.string("diff_id")));
            }
            return Optional.of(new Entry(layer, o.string("created")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | AndockException e) {
            return Optional.empty(); // unreadable: treated as a miss and rewritten
        }
    }

    public void put(String cacheKey, Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", cacheKey);
        if (e.layer() != null) {
            m.put("layer", e.layer().blob().toJson());
            m.put("diff_id", e.layer().diffId().toString());
        }
        if (e.created() != null) m.put("created", e.created());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
            Files.write(tmp, Json.writeBytes(m));
            Files.move(tmp, file(cacheKey), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
            throw AndockException.wrap("write build cache entry", ex);
        }
    }

    /**
     * {@code docker builder prune}: removes every entry (a build running meanwhile just misses them); returns the
     * removed entries' names. Their layer blobs go at the next garbage collection unless an image holds them.
     */
    public java.util.List<String> prune() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (var ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                if (Files.deleteIfExists(f)) out.add(n.substring(0, n.length() - ".json".length()));
            }
        } catch (IOException e) {
            throw AndockException.wrap("prune build cache", e);
        }
        return out;
    }

    private Path file(String cacheKey) {
        return dir.resolve(Digest.parse(cacheKey).hex() + ".json");
    }
}
