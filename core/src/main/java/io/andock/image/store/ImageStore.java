package io.andock.image.store;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.os.ProcessLock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Image records in one JSON file ({@code <root>/images.json}: {@code {"images":[record…]}}). Readers read the
 * file as it is (it is always whole: writers replace it by rename); writers hold {@code images.lock} across
 * read-modify-write, write a temp file, fsync it and rename it over the old one, so concurrent processes neither
 * lose updates nor see a torn file. Thread-safe.
 */
public final class ImageStore {
    private final Path file;
    private final Path lockFile;

    public ImageStore(Path file) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    }

    /** All records, sorted by name. */
    public List<ImageRecord> list() {
        return new ArrayList<>(read().values());
    }

    public Optional<ImageRecord> get(String name) {
        return Optional.ofNullable(read().get(name));
    }

    /**
     * Applies {@code change} to the records (name → record, mutable) under the lock and saves the result.
     * Returns what {@code change} returned.
     */
    public <T> T update(java.util.function.Function<Map<String, ImageRecord>, T> change) {
        try (ProcessLock l = ProcessLock.exclusive(lockFile)) {
            Map<String, ImageRecord> records = read();
            T result = change.apply(records);
            write(records);
            return result;
        }
    }

    /** Creates or replaces one record. */
    public void put(ImageRecord r) {
        update(m -> m.put(r.name(), r));
    }

    /** Removes one record; false when it was absent. */
    public boolean remove(String name) {
        return update(m -> m.remove(name) != null);
    }

    private TreeMap<String, ImageRecord> read() {
        TreeMap<String, ImageRecord> out = new TreeMap<>();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw AndockException.wrap("read " + file, e);
        }
        try {
            for (JsonObject o : JsonObject.parse(bytes).objects("images")) {
                ImageRecord r = ImageRecord.fromJson(o);
                out.put(r.name(), r);
            }
        } catch (RuntimeException e) {
            throw new AndockException(AndockException.Kind.CORRUPT, "image store " + file + " is damaged: " + e.getMessage(), e);
        }
        return out;
    }

    private void write(Map<String, ImageRecord> records) {
        List<Object> list = new ArrayList<>();
        for (ImageRecord r : new TreeMap<>(records).values()) list.add(r.toJson());
        byte[] bytes = Json.pretty(Map.of("images", list), 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(bytes);
                while (bb.hasRemaining()) ch.write(bb);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw AndockException.wrap("write " + file, e);
        }
    }

}
