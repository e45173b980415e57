package io.andock.image;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An image platform ({@code linux/arm64/v8}). Always held normalised: architecture names as Go spells them
 * (x86_64 → amd64, aarch64 → arm64), arm64's variant v8 and arm's v7 made explicit, since registries write both
 * {@code arm64} and {@code arm64/v8} for the same thing.
 */
public record Platform(String os, String architecture, String variant) implements JsonWritable {

    public Platform {
        os = os == null || os.isEmpty() ? "linux" : os.toLowerCase(Locale.ROOT);
        if (architecture == null || architecture.isEmpty()) throw AndockException.invalid("platform without architecture");
        String arch = architecture.toLowerCase(Locale.ROOT);
        String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "x86_64", "x86-64", "amd64" -> arch = "amd64";
            case "aarch64", "arm64" -> { arch = "arm64"; if (v.isEmpty() || v.equals("8")) v = "v8"; }
            case "armhf" -> { arch = "arm"; v = "v7"; }
            case "armel" -> { arch = "arm"; v = "v6"; }
            case "arm", "aarch32" -> { arch = "arm"; if (v.isEmpty()) v = "v7"; else if (!v.startsWith("v")) v = "v" + v; }
            case "i386", "i686", "x86", "386" -> arch = "386";
            default -> { }
        }
        architecture = arch;
        variant = v;
    }

    /** Parses {@code os/arch[/variant]} or just {@code arch}. */
    public static Platform parse(String s) {
        if (s == null || s.isBlank()) throw AndockException.invalid("empty platform");
        String[] p = s.trim().split("/", -1);
        // an empty part ("linux/", "/amd64") would otherwise default or become an architecture named "linux"
        for (String part : p) {
            if (part.isEmpty()) throw AndockException.invalid("invalid platform \"" + s + "\": expected os/arch[/variant]");
        }
        if (p.length == 1) return new Platform("linux", p[0], null);
        if (p.length == 2) return new Platform(p[0], p[1], null);
        if (p.length == 3) return new Platform(p[0], p[1], p[2]);
        throw AndockException.invalid("invalid platform \"" + s + "\": expected os/arch[/variant]");
    }

    public static Platform fromJson(JsonObject o) {
        return new Platform(o.string("os"), o.string("architecture"), o.string("variant"));
    }

    private static Platform host;

    /** The platform of the machine the JVM runs on. */
    public static Platform host() {
        if (host == null) host = new Platform("linux", System.getProperty("os.arch"), null);
        return host;
    }

    /**
     * How well an image of platform {@code candidate} runs where this platform is wanted: 0 means not at all,
     * higher is better. An arm/v7 host also runs v6 and v5 images, less preferably.
     */
    public int score(Platform candidate) {
        if (candidate == null || !os.equals(candidate.os) || !architecture.equals(candidate.architecture)) return 0;
        if (variant.equals(candidate.variant)) return 100;
        if (architecture.equals("arm") && variant.startsWith("v") && candidate.variant.startsWith("v")) {
            try {
                int want = Integer.parseInt(variant.substring(1));
                int have = Integer.parseInt(candidate.variant.substring(1));
                if (have < want) return 50 - (want - have);
            } catch (NumberFormatException ignored) {
                return 0;
            }
        }
        return 0;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture);
        m.put("os", os);
        if (!variant.isEmpty()) m.put("variant", variant);
        return m;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
