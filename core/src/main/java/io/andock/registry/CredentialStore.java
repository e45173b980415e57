package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Reference;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials, in Docker's config shape: {@code {"auths":{"host:port":{"auth":"base64(user:pass)"}}}}.
 *
 * <p>One file is andock's own, written by {@code andock login} (mode 0600, replaced atomically, other keys kept);
 * further files, typically {@code ~/.docker/config.json}, are only read, after andock's own. Keys are compared
 * normalised ({@link #normalize}): {@code https://index.docker.io/v1/}, {@code index.docker.io} and
 * {@code docker.io} are all Docker Hub; a scheme or path on a key is ignored. Entries may carry {@code auth} or
 * {@code username}/{@code password}; credential helpers ({@code credsStore}, {@code credHelpers}) are not run.
 * Files are read on every lookup, so a login in another process is seen at once. Thread-safe.
 */
public final class CredentialStore {
    /** How Docker keys Docker Hub in its config; andock writes the same so the files are interchangeable. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Path file;
    private final List<Path> readOnly;

    /** @param file andock's own file (null: nothing can be saved); @param readOnly further files, only read */
    public CredentialStore(Path file, List<Path> readOnly) {
        this.file = file;
        this.readOnly = List.copyOf(readOnly);
    }

    /** {@code <configDir>/auth.json}, then Docker's config ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}). */
    public static CredentialStore standard(Path configDir) {
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        Path docker = dockerConfig != null && !dockerConfig.isEmpty()
                ? Path.of(dockerConfig, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        return new CredentialStore(configDir.resolve("auth.json"), List.of(docker));
    }

    /** No credentials at all: anonymous pulls only. */
    public static CredentialStore none() {
        return new CredentialStore(null, List.of());
    }

    /** The credentials for {@code registry} ({@code docker.io}, {@code host:port}), andock's file first. */
    public Optional<Credentials> find(String registry) {
        String want = normalize(registry);
        List<Path> files = new ArrayList<>();
        if (file != null) files.add(file);
        files.addAll(readOnly);
        for (Path f : files) {
            for (Map.Entry<String, Object> e : auths(read(f)).entrySet()) {
                if (!normalize(e.getKey()).equals(want)) continue;
                Optional<Credentials> c = entry(f, JsonObject.of(e.getValue()));
                if (c.isPresent()) return c;
            }
        }
        return Optional.empty();
    }

    /** Saves (replaces) the credentials for {@code registry} in andock's own file. */
    public synchronized void save(String registry, Credentials credentials) {
        Map<String, Object> doc = writable();
        Map<String, Object> auths = auths(doc);
        removeKeys(auths, normalize(registry));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("auth", credentials.encoded());
        auths.put(fileKey(registry), entry);
        doc.put("auths", auths);
        write(doc);
    }

    /** Removes {@code registry} from andock's own file; whether it was there. Docker's file is left alone. */
    public synchronized boolean remove(String registry) {
        Map<String, Object> doc = writable();
        Map<String, Object> auths = auths(doc);
        if (!removeKeys(auths, normalize(registry))) return false;
        doc.put("auths", auths);
        write(doc);
        return true;
    }

    /**
     * The registry a config key names: scheme and path dropped, lowercased, Docker Hub's aliases
     * ({@code index.docker.io}, {@code registry-1.docker.io}, {@code registry.hub.docker.com}) → {@code docker.io}.
     */
    public static String normalize(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return switch (k) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> Reference.DOCKER_HUB;
            default -> k;
        };
    }

    private static String fileKey(String registry) {
        String n = normalize(registry);
        return n.equals(Reference.DOCKER_HUB) ? DOCKER_HUB_KEY : n;
    }

    private static boolean removeKeys(Map<String, Object> auths, String normalized) {
        return auths.keySet().removeIf(k -> normalize(k).equals(normalized));
    }

    private static Optional<Credentials> entry(Path f, JsonObject e) {
        try {
            if (e.has("auth") && !e.string("auth").isEmpty()) return Optional.of(Credentials.decode(e.string("auth")));
            if (e.has("username") && e.has("password")) {
                return Optional.of(new Credentials(e.string("username"), e.string("password")));
            }
            return Optional.empty();
        } catch (AndockException x) {
            throw x.withContext("credentials in " + f);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> auths(Map<String, Object> doc) {
        Object a = doc.get("auths");
        return a instanceof Map ? new LinkedHashMap<>((Map<String, Object>) a) : new LinkedHashMap<>();
    }

    private static Map<String, Object> read(Path f) {
        try {
            return new LinkedHashMap<>(Json.parseObject(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw AndockException.wrap("read credentials " + f, e);
        } catch (AndockException e) {
            throw e.withContext("read credentials " + f);
        }
    }

    private Map<String, Object> writable() {
        if (file == null) throw AndockException.invalid("no credentials file configured");
        return read(file);
    }

    private void write(Map<String, Object> doc) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".auth", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Files.write(tmp, Json.pretty(doc, 2).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw AndockException.wrap("write credentials " + file, e);
        }
    }
}
