package io.andock.image;

import io.andock.AndockException;
import io.andock.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image configuration blob (OCI image config / Docker image JSON). Kept as the parsed document so fields
 * andock does not model survive a save/load; accessors read what the engine needs.
 */
public record ImageConfig(JsonObject json) {

    public static ImageConfig parse(byte[] raw) {
        return new ImageConfig(JsonObject.parse(raw));
    }

    public Platform platform() {
        return new Platform(json.string("os", "linux"), json.string("architecture", "amd64"), json.string("variant"));
    }

    /** The uncompressed layer digests, bottom first. */
    public List<Digest> diffIds() {
        JsonObject rootfs = json.object("rootfs");
        List<Digest> out = new ArrayList<>();
        for (Object o : rootfs.list("diff_ids")) {
            if (!(o instanceof String s)) throw AndockException.invalid("image config: diff_ids holds a non-string");
            out.add(Digest.parse(s));
        }
        return out;
    }

    /** ISO-8601 creation time, or null. */
    public String created() {
        return json.string("created");
    }

    /** The {@code config} object: Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Volumes, Labels, StopSignal. */
    public JsonObject runConfig() {
        return json.object("config");
    }

    public Map<String, String> labels() {
        return runConfig().stringMap("Labels");
    }

    /** The chain IDs of the layers (OCI image spec: ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n))). */
    public List<Digest> chainIds() {
        return chainIds(diffIds());
    }

    public static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>();
        Digest chain = null;
        for (Digest d : diffIds) {
            chain = chain == null ? d : Digest.sha256((chain + " " + d).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.add(chain);
        }
        return out;
    }
}
