package io.andock.engine;

import io.andock.AndockException;
import io.andock.container.ContainerStore;
import io.andock.container.VolumeStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The volumes façade: {@code docker volume ls|create|inspect|rm|prune}. Volume names are checked here before any
 * becomes a path; a volume a container uses is never removed.
 */
public final class Volumes {
    private final VolumeStore store;

    Volumes(VolumeStore store) {
        this.store = store;
    }

    /** Every volume's name, sorted. */
    public List<String> list() {
        return store.list();
    }

    /** Creates {@code name} (a fresh anonymous name when null or empty) if it does not exist; returns it either way. */
    public Volume create(String name) {
        return create(name, Map.of());
    }

    /**
     * As {@link #create(String)}, with labels ({@code docker volume create --label}); as Docker, the labels are
     * those of the volume's creation: an existing volume keeps its own.
     */
    public Volume create(String name, Map<String, String> labels) {
        String n = name == null || name.isEmpty() ? ContainerStore.newId() : name;
        if (store.create(n) && !labels.isEmpty()) store.writeLabels(n, labels);
        return inspect(n);
    }

    /** NOT_FOUND "get X: no such volume" for a volume that does not exist (any name, valid or not). */
    public Volume inspect(String name) {
        Path data = store.get(name);
        Instant created = null;
        try {
            created = Files.getLastModifiedTime(data.getParent()).toInstant();
        } catch (IOException ignored) {
            // unknown
        }
        return new Volume(name, data, created, store.labels(name));
    }

    /** The bytes a volume's files take ({@code system df}). */
    public long sizeBytes(String name) {
        return io.andock.os.TreeSize.of(store.get(name));
    }

    /** {@code rm}: CONFLICT while a container (any state) uses it, whatever {@code force} says, as Docker. */
    public void remove(String name, boolean force) {
        store.remove(name, force);
    }

    /**
     * {@code volume prune}: removes the anonymous volumes no container uses, and with {@code all} the named ones
     * too (dockerd 23+); returns their names.
     */
    public List<String> prune(boolean all) {
        List<String> deleted = new ArrayList<>();
        for (String n : store.list()) {
            if (!all && !isAnonymous(n)) continue;
            try {
                store.remove(n, false);
                deleted.add(n);
            } catch (AndockException e) {
                if (e.kind() != AndockException.Kind.CONFLICT && e.kind() != AndockException.Kind.NOT_FOUND) throw e; // in use (kept) or gone
            }
        }
        return deleted;
    }

    /** Anonymous volumes are named by a random 64-hex id, as Docker's. */
    static boolean isAnonymous(String name) {
        return name.length() == 64 && name.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }
}
