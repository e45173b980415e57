package io.andock.host;

import io.andock.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Results of probes that cost a process spawn, kept in one small JSON file that is valid for one boot of the
 * machine ({@code /proc/sys/kernel/random/boot_id}): a reboot may bring another kernel or other sysctls.
 * Best effort: an unreadable or unwritable cache behaves as empty. Not safe for concurrent use by several
 * threads; two processes writing at once lose one entry at worst (the file is replaced by an atomic rename).
 */
final class ProbeCache {

    private final Path file;
    private final String bootId;
    private Map<String, Object> entries;

    /** A cache in {@code file} for the boot {@code bootId}; with a null file or boot id nothing is kept. */
    ProbeCache(Path file, String bootId) {
        this.file = file;
        this.bootId = bootId;
    }

    static ProbeCache none() {
        return new ProbeCache(null, null);
    }

    Verdict verdict(String key) {
        Object v = load().get(key);
        return v instanceof Map<?, ?> m ? Verdict.fromJson(m) : null;
    }

    String string(String key) {
        Object v = load().get(key);
        return v instanceof String s ? s : null;
    }

    void put(String key, Verdict v) {
        putRaw(key, v.toJson());
    }

    void put(String key, String v) {
        putRaw(key, v);
    }

    private void putRaw(String key, Object value) {
        load().put(key, value);
        if (file == null || bootId == null) return;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("BootId", bootId);
        doc.put("Entries", entries);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".host-probe", ".tmp");
            Files.writeString(tmp, Json.pretty(doc, 2));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // best effort: the next run probes again
        }
    }

    private Map<String, Object> load() {
        if (entries != null) return entries;
        entries = new LinkedHashMap<>();
        if (file == null || bootId == null || !Files.isRegularFile(file)) return entries;
        try {
            Map<String, Object> doc = Json.parseObject(Files.readAllBytes(file));
            if (bootId.equals(doc.get("BootId")) && doc.get("Entries") instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) entries.put(String.valueOf(e.getKey()), e.getValue());
            }
        } catch (IOException | RuntimeException e) {
            // a damaged cache is an empty one
        }
        return entries;
    }
}
