package io.andock.net;

import io.andock.AndockException;
import io.andock.container.StoreNames;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A root's user-defined networks: {@code <root>/networks/<id>.json}, one {@link UserNetwork} per file, named by
 * its id (never by the user's name), written by atomic rename. Callers serialize changes (the host-wide lock).
 */
final class NetworkStore {
    private final Path dir;

    NetworkStore(Path root) {
        this.dir = root.resolve("networks");
    }

    List<UserNetwork> list() {
        List<UserNetwork> out = new ArrayList<>();
        try (var ds = Files.list(dir)) {
            for (Path f : (Iterable<Path>) ds::iterator) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".json") || !StoreNames.isId(n.substring(0, n.length() - 5))) continue;
                try {
                    out.add(UserNetwork.fromJson(JsonObject.parse(Files.readAllBytes(f))));
                } catch (IOException | RuntimeException torn) {
                    // not ours or torn: skipped
                }
            }
        } catch (IOException e) {
            // no networks yet
        }
        // (no comparator built for none or one: every container start lists the networks)
        if (out.size() > 1) out.sort(Comparator.comparing(UserNetwork::created).thenComparing(UserNetwork::name));
        return out;
    }

    /** By exact name, full id, or a unique id prefix; null when none. Names win over id prefixes, as in Docker. */
    UserNetwork find(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > 255) return null;
        List<UserNetwork> all = list();
        for (UserNetwork n : all) if (n.name().equals(ref) || n.id().equals(ref)) return n;
        if (!StoreNames.isIdPrefix(ref)) return null;
        List<UserNetwork> prefixed = all.stream().filter(n -> n.id().startsWith(ref)).toList();
        if (prefixed.size() > 1) throw AndockException.invalid("network " + ref + " is ambiguous (" + prefixed.size() + " matches found based on ID prefix)");
        return prefixed.isEmpty() ? null : prefixed.get(0);
    }

    void put(UserNetwork n) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(n.id() + ".json.tmp");
            Files.write(tmp, Json.writeBytes(n.toJson()));
            Files.move(tmp, dir.resolve(n.id() + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("record network " + n.name(), e);
        }
    }

    void delete(UserNetwork n) {
        try {
            Files.deleteIfExists(dir.resolve(n.id() + ".json"));
        } catch (IOException e) {
            throw AndockException.wrap("remove network " + n.name(), e);
        }
    }
}
