package io.andock.daemon.backend;

import io.andock.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User-defined networks as names only: {@code POST /networks/create} records the name and its labels, options
 * and IPAM so clients (docker-compose's {@code <project>_default}) can create, inspect, use and remove them; a
 * container "on" one of them is on the default network, which is the host's. No isolation, no DNS for aliases:
 * containers reach each other at 127.0.0.1. Kept in {@code <root>/networks.json} across restarts.
 */
public final class UserNetworks {
    private final Path file;
    private final Map<String, Map<String, Object>> byName = new LinkedHashMap<>();

    public UserNetworks(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (Map.Entry<String, Object> e : Json.parseObject(Files.readAllBytes(file)).entrySet()) {
                    @SuppressWarnings("unchecked") Map<String, Object> n = (Map<String, Object>) e.getValue();
                    byName.put(e.getKey(), new LinkedHashMap<>(n));
                }
            }
        } catch (IOException | RuntimeException e) {
            // a torn file: start empty rather than refuse to start
        }
    }

    /** Records a network; its stored document is what inspect returns. */
    public synchronized void add(Map<String, Object> network) {
        byName.put((String) network.get("Name"), network);
        save();
    }

    public synchronized boolean remove(String name) {
        boolean removed = byName.remove(name) != null;
        if (removed) save();
        return removed;
    }

    /** By name, full id or an id prefix of at least 3 characters. */
    public synchronized Map<String, Object> find(String ref) {
        if (ref == null || ref.isEmpty()) return null;
        Map<String, Object> n = byName.get(ref);
        if (n != null) return n;
        for (Map<String, Object> m : byName.values()) {
            String id = (String) m.get("Id");
            if (ref.length() >= 3 && id.startsWith(ref)) return m;
        }
        return null;
    }

    public synchronized List<Map<String, Object>> all() {
        return new ArrayList<>(byName.values());
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.writeBytes(byName));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
