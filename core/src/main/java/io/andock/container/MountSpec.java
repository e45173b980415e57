package io.andock.container;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A mount the user asked for: {@code -v /host:/ctr[:ro]} (bind), {@code -v name:/ctr} (named volume),
 * {@code -v /ctr} or an image VOLUME (anonymous volume, {@code source} null until created), {@code --tmpfs /ctr}.
 *
 * @param type     {@code bind}, {@code volume} or {@code tmpfs}
 * @param source   host path (bind), volume name (volume; null for a new anonymous one), null (tmpfs)
 * @param target   absolute path in the container
 * @param readOnly {@code :ro}
 * @param options  extra options (tmpfs {@code size=64m}), "" when none
 */
public record MountSpec(String type, String source, String target, boolean readOnly, String options) implements JsonWritable {
    public static final String BIND = "bind", VOLUME = "volume", TMPFS = "tmpfs";

    public MountSpec {
        if (target == null || !target.startsWith("/")) {
            throw AndockException.invalid("invalid mount config: mount path must be absolute: " + StoreNames.printable(target));
        }
        // the target also names a dir in the bundle (BundleSpec.tmpfsDir): "/.." would be the bundle itself
        if (target.indexOf('\0') >= 0 || java.util.Arrays.asList(target.split("/")).stream().anyMatch(c -> c.equals(".") || c.equals(".."))) {
            throw AndockException.invalid("invalid mount config: mount path must not contain . or .. : " + StoreNames.printable(target));
        }
        if (VOLUME.equals(type) && source != null) StoreNames.volumeName(source);
        options = options == null ? "" : options;
    }

    /** Parses {@code -v SRC:DST[:OPTS]} or {@code -v DST}; OPTS are comma-separated {@code ro}, {@code rw}, ... */
    public static MountSpec parseVolume(String s) {
        if (s == null || s.isEmpty()) throw AndockException.invalid("invalid volume specification: ''");
        String[] p = s.split(":", -1);
        if (p.length == 1) return new MountSpec(VOLUME, null, p[0], false, "");
        if (p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw AndockException.invalid("invalid volume specification: '" + s + "'");
        }
        boolean ro = false;
        if (p.length == 3) {
            for (String o : p[2].split(",")) {
                switch (o) {
                    case "ro" -> ro = true;
                    case "rw", "z", "Z", "rprivate", "private", "rslave", "slave", "rshared", "shared", "nocopy" -> { }
                    default -> throw AndockException.invalid("invalid mode: " + o);
                }
            }
        }
        if (!p[1].startsWith("/")) throw AndockException.invalid("invalid volume specification: '" + s + "': mount path must be absolute");
        boolean bind = p[0].startsWith("/") || p[0].startsWith(".") || p[0].startsWith("~");
        if (!bind) StoreNames.volumeName(p[0]);
        return new MountSpec(bind ? BIND : VOLUME, p[0], p[1], ro, "");
    }

    /** Parses {@code --tmpfs /path[:opts]}. */
    public static MountSpec parseTmpfs(String s) {
        int c = s.indexOf(':');
        String target = c < 0 ? s : s.substring(0, c);
        String opts = c < 0 ? "" : s.substring(c + 1);
        return new MountSpec(TMPFS, null, target, opts.contains("ro"), opts);
    }

    public MountSpec withSource(String src) {
        return new MountSpec(type, src, target, readOnly, options);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", type);
        m.put("Source", source);
        m.put("Target", target);
        m.put("ReadOnly", readOnly);
        if (!options.isEmpty()) m.put("Options", options);
        return m;
    }

    public static MountSpec fromJson(JsonObject o) {
        return new MountSpec(o.string("Type"), o.string("Source"), o.string("Target"), o.bool("ReadOnly"), o.string("Options", ""));
    }
}
