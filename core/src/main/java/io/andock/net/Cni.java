package io.andock.net;

import io.andock.AndockException;
import io.andock.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs CNI plugins as the CNI spec (1.0) says: the plugin named by a network config's {@code type}, found in
 * {@link #pluginDir}, with {@code CNI_COMMAND}, {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME} and
 * {@code CNI_PATH} in its environment and the config on stdin; its stdout is the result, or an error object.
 * A conflist is run as libcni does: on ADD each plugin gets the previous one's result as {@code prevResult}; on
 * DEL the plugins run in reverse order, each with the ADD's final result.
 */
public final class Cni {
    public static final String VERSION = "1.0.0";
    /** Debian's containernetworking-plugins, then the upstream default. */
    static final List<String> DIRS = List.of("/usr/lib/cni", "/opt/cni/bin", "/usr/libexec/cni");

    private final Path pluginDir;

    public Cni(Path pluginDir) {
        this.pluginDir = pluginDir;
    }

    /** The plugins where they are installed with bridge, host-local and loopback, or null. */
    public static Cni find() {
        for (String d : DIRS) {
            Path p = Path.of(d);
            if (List.of("bridge", "host-local", "loopback").stream().allMatch(t -> Files.isExecutable(p.resolve(t)))) return new Cni(p);
        }
        return null;
    }

    public Path pluginDir() {
        return pluginDir;
    }

    public boolean has(String type) {
        return Files.isExecutable(pluginDir.resolve(type));
    }

    /** Where one plugin runs: the container, its namespace and the interface to make or remove. */
    public record Target(String containerId, Path netns, String ifname) {}

    /** The environment a plugin runs with for {@code command} on {@code t}. */
    public Map<String, String> env(String command, Target t) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", t.containerId());
        env.put("CNI_NETNS", t.netns().toString());
        env.put("CNI_IFNAME", t.ifname());
        env.put("CNI_PATH", pluginDir.toString());
        return env;
    }

    /** ADD of every plugin of {@code conflist} in order; the final result. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> add(Map<String, Object> conflist, Target t, Map<String, Object> runtimeConfig) {
        Object prev = null;
        for (Map<String, Object> plugin : (List<Map<String, Object>>) conflist.get("plugins")) {
            Map<String, Object> r = exec("ADD", t, pluginConfig(conflist, plugin, prev, runtimeConfig));
            prev = r;
        }
        return prev == null ? Map.of() : (Map<String, Object>) prev;
    }

    /**
     * What one plugin of a conflist is given: its own object with the list's {@code cniVersion} and {@code name},
     * {@code prevResult} when there is one, and the {@code runtimeConfig} entries its {@code capabilities} ask for.
     */
    public static Map<String, Object> pluginConfig(Map<String, Object> conflist, Map<String, Object> plugin, Object prevResult,
                                                   Map<String, Object> runtimeConfig) {
        Map<String, Object> c = new LinkedHashMap<>(plugin);
        c.put("cniVersion", conflist.get("cniVersion"));
        c.put("name", conflist.get("name"));
        if (prevResult != null) c.put("prevResult", prevResult);
        if (plugin.get("capabilities") instanceof Map<?, ?> caps) {
            Map<String, Object> rc = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : caps.entrySet()) {
                if (Boolean.TRUE.equals(e.getValue()) && runtimeConfig.containsKey((String) e.getKey())) {
                    rc.put((String) e.getKey(), runtimeConfig.get(e.getKey()));
                }
            }
            if (!rc.isEmpty()) c.put("runtimeConfig", rc);
        }
        return c;
    }

    /** Runs one plugin; its result (empty for DEL); a CNI error becomes an exception with the plugin's message. */
    public Map<String, Object> exec(String command, Target t, Map<String, Object> config) {
        String type = (String) config.get("type");
        Path plugin = pluginDir.resolve(type);
        try {
            ProcessBuilder pb = new ProcessBuilder(plugin.toString());
            pb.environment().putAll(env(command, t));
            Process p = pb.start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(Json.writeBytes(config));
            }
            byte[] out = drain(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AndockException(AndockException.Kind.UNAVAILABLE, "cni " + type + " " + command + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new AndockException(AndockException.Kind.UNAVAILABLE, "cni " + type + " " + command + ": "
                        + errorMessage(out, new String(err.join(), StandardCharsets.UTF_8)));
            }
            return out.length == 0 || new String(out, StandardCharsets.UTF_8).isBlank() ? Map.of() : Json.parseObject(out);
        } catch (IOException e) {
            throw AndockException.wrap("cni " + type + " " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "cni " + type + ": interrupted", e);
        }
    }

    /** A CNI error object's {@code msg: details}, else stderr. */
    static String errorMessage(byte[] stdout, String stderr) {
        try {
            Map<String, Object> e = Json.parseObject(stdout);
            String msg = String.valueOf(e.getOrDefault("msg", ""));
            Object details = e.get("details");
            return details == null || details.toString().isEmpty() ? msg : msg + ": " + details;
        } catch (RuntimeException notJson) {
            return stderr.strip().isEmpty() ? new String(stdout, StandardCharsets.UTF_8).strip() : stderr.strip();
        }
    }

    private static byte[] drain(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
