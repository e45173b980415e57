package io.andock.engine;

import io.andock.AndockException;
import io.andock.container.LogConfig;
import io.andock.json.JsonObject;
import io.andock.registry.RegistryOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where andock keeps its data and how it reaches registries; shared by the CLI and the API daemon.
 *
 * <p>Root: {@code $ANDOCK_ROOT}; else under Termux ({@code $PREFIX} contains {@code com.termux})
 * {@code $PREFIX/var/lib/andock}; else {@code $XDG_DATA_HOME/andock} or {@code ~/.local/share/andock}.
 * Config dir: {@code $ANDOCK_CONFIG}; else {@code $PREFIX/etc/andock} under Termux; else
 * {@code $XDG_CONFIG_HOME/andock} or {@code ~/.config/andock}. {@code <configDir>/config.json} may hold
 * {@code insecure-registries} [host…], {@code registry-mirrors} [url…] (for docker.io), {@code mirrors}
 * {registry: [url…]}, {@code max-concurrent-downloads} n, {@code max-layer-bytes} n, {@code read-timeout-seconds} n
 * (how long a registry may send nothing in the middle of an answer; default 30), {@code log-driver} and
 * {@code log-opts} {k: v} (the logging driver of containers created without one, as in dockerd's daemon.json).
 *
 * @param root          data root: content/, snapshots/, images.json, tmp/
 * @param configDir     config.json and auth.json
 * @param registry      registry options (mirrors, insecure registries, concurrency)
 * @param maxLayerBytes limit on one uncompressed layer when unpacking (decompression-bomb guard)
 * @param driver        the execution driver to use ({@code oci}, {@code runc}, {@code crun}, {@code chroot},
 *                      {@code proot}), or null to let the host probe choose
 * @param logConfig     the logging driver of containers created without one
 */
public record EngineConfig(Path root, Path configDir, RegistryOptions registry, long maxLayerBytes, String driver,
                           LogConfig logConfig) {
    public static final long DEFAULT_MAX_LAYER_BYTES = 32L << 30;

    public EngineConfig {
        if (root == null || configDir == null) throw AndockException.invalid("root and config dir are required");
        if (registry == null) registry = RegistryOptions.defaults();
        if (maxLayerBytes <= 0) maxLayerBytes = DEFAULT_MAX_LAYER_BYTES;
        if (logConfig == null) logConfig = LogConfig.DEFAULT;
    }

    public EngineConfig(Path root, Path configDir, RegistryOptions registry, long maxLayerBytes) {
        this(root, configDir, registry, maxLayerBytes, null, null);
    }

    /** This config with {@code driver} forced (the {@code --driver} flag), or unchanged when it is null. */
    public EngineConfig withDriver(String forced) {
        return forced == null ? this : new EngineConfig(root, configDir, registry, maxLayerBytes, forced, logConfig);
    }

    /** A config with defaults for everything but the directories (tests, embedding). */
    public static EngineConfig of(Path root, Path configDir) {
        return new EngineConfig(root, configDir, RegistryOptions.defaults(), DEFAULT_MAX_LAYER_BYTES);
    }

    /** The environment's directories and {@code config.json}; {@code rootOverride} (a --root flag) wins when set. */
    public static EngineConfig load(Path rootOverride) {
        return load(rootOverride, System.getenv());
    }

    static EngineConfig load(Path rootOverride, Map<String, String> env) {
        Path root = rootOverride != null ? rootOverride : defaultRoot(env);
        Path configDir = defaultConfigDir(env);
        Path file = configDir.resolve("config.json");
        JsonObject o;
        try {
            o = JsonObject.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            o = JsonObject.of(null);
        } catch (IOException e) {
            throw AndockException.wrap("read " + file, e);
        } catch (AndockException e) {
            throw e.withContext(file.toString());
        }
        return fromJson(root.toAbsolutePath(), configDir, o);
    }

    static EngineConfig fromJson(Path root, Path configDir, JsonObject o) {
        RegistryOptions r = RegistryOptions.defaults();
        Set<String> insecure = new LinkedHashSet<>(strings(o, "insecure-registries"));
        if (!insecure.isEmpty()) r = r.withInsecureRegistries(insecure);
        Map<String, List<String>> mirrors = new LinkedHashMap<>();
        List<String> hub = strings(o, "registry-mirrors");
        if (!hub.isEmpty()) mirrors.put("docker.io", hub);
        for (Map.Entry<String, Object> e : o.object("mirrors").map().entrySet()) {
            if (e.getValue() instanceof List<?> l) {
                List<String> urls = new ArrayList<>();
                for (Object u : l) urls.add(String.valueOf(u));
                mirrors.put(e.getKey(), urls);
            }
        }
        if (!mirrors.isEmpty()) r = r.withMirrors(mirrors);
        long n = o.number("max-concurrent-downloads", 3);
        if (n != 3) r = r.withMaxConcurrentDownloads((int) n);
        long readTimeout = o.number("read-timeout-seconds", RegistryOptions.DEFAULT_READ_TIMEOUT.toSeconds());
        if (readTimeout < 1 || readTimeout > RegistryOptions.MAX_READ_TIMEOUT.toSeconds()) {
            throw AndockException.invalid("read-timeout-seconds must be between 1 and "
                    + RegistryOptions.MAX_READ_TIMEOUT.toSeconds() + ", not " + readTimeout);
        }
        r = r.withReadTimeout(Duration.ofSeconds(readTimeout));
        LogConfig log = o.has("log-driver") || o.has("log-opts")
                ? new LogConfig(o.string("log-driver"), o.stringMap("log-opts")) : LogConfig.DEFAULT;
        return new EngineConfig(root, configDir, r, o.number("max-layer-bytes", DEFAULT_MAX_LAYER_BYTES), o.string("driver"), log);
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> s = o.strings(key);
        return s == null ? List.of() : s;
    }

    static boolean termux(Map<String, String> env) {
        String p = env.get("PREFIX");
        return p != null && p.contains("com.termux");
    }

    public static Path defaultRoot(Map<String, String> env) {
        String r = env.get("ANDOCK_ROOT");
        if (r != null && !r.isEmpty()) return Path.of(r);
        if (termux(env)) return Path.of(env.get("PREFIX"), "var", "lib", "andock");
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "andock");
        return Path.of(System.getProperty("user.home"), ".local", "share", "andock");
    }

    public static Path defaultConfigDir(Map<String, String> env) {
        String c = env.get("ANDOCK_CONFIG");
        if (c != null && !c.isEmpty()) return Path.of(c);
        if (termux(env)) return Path.of(env.get("PREFIX"), "etc", "andock");
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "andock");
        return Path.of(System.getProperty("user.home"), ".config", "andock");
    }

    public Path contentDir() {
        return root.resolve("content");
    }

    public Path snapshotsDir() {
        return root.resolve("snapshots");
    }

    public Path imagesFile() {
        return root.resolve("images.json");
    }

    public Path tmpDir() {
        return root.resolve("tmp");
    }
}
