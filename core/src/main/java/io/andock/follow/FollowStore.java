package io.andock.follow;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What following keeps in the store, under {@code <root>/follow/}: {@code follows.json} (the subscriptions and their
 * outcomes), {@code device-id} (the name the hub knows this root by, made once), {@code journal.json} (the update
 * under way, so that an agent killed in the middle undoes and redoes it) and {@code agent.lock} (held by the one
 * agent of this root). Every file is replaced whole by an atomic rename; changes to {@code follows.json} are made
 * under a file lock, so the CLI and a running agent do not lose each other's writes.
 */
final class FollowStore {
    private final Path dir;

    FollowStore(Path root) {
        this.dir = root.resolve("follow");
    }

    Path dir() {
        return dir;
    }

    /** The directory, private as every tree of the store (0700). */
    private void makeDir() throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }

    List<Subscription> list() {
        Path f = dir.resolve("follows.json");
        if (!Files.exists(f)) return List.of();
        try {
            List<Subscription> out = new ArrayList<>();
            for (JsonObject o : JsonObject.parse(Files.readAllBytes(f)).objects("follows")) out.add(Subscription.fromJson(o));
            return out;
        } catch (IOException | RuntimeException e) {
            throw new AndockException(AndockException.Kind.CORRUPT, "read " + f + ": " + e.getMessage());
        }
    }

    Optional<Subscription> get(String ref) {
        return list().stream().filter(s -> s.ref().equals(ref)).findFirst();
    }

    /** Replaces the list by {@code change(list)} under the lock. */
    List<Subscription> update(UnaryOperator<List<Subscription>> change) {
        return locked(() -> {
            List<Subscription> now = change.apply(new ArrayList<>(list()));
            List<Object> js = new ArrayList<>();
            for (Subscription s : now) js.add(s.toJson());
            write(dir.resolve("follows.json"), Json.pretty(Map.of("follows", js), 2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return now;
        });
    }

    /** Records one subscription's new outcome (when it is still followed). */
    void replace(Subscription s) {
        update(list -> {
            list.replaceAll(o -> o.ref().equals(s.ref()) ? s : o);
            return list;
        });
    }

    /** Made once, then read once per store: the agent sends it with every poll. */
    private volatile String deviceId;

    String deviceId() {
        String known = deviceId;
        if (known != null) return known;
        Path f = dir.resolve("device-id");
        return deviceId = locked(() -> {
            try {
                if (Files.exists(f)) return Files.readString(f).trim();
                String host = hostName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
                if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) host = "device" + host;
                if (host.length() > 40) host = host.substring(0, 40);
                byte[] rnd = new byte[4];
                new SecureRandom().nextBytes(rnd);
                String id = host + "-" + HexFormat.of().formatHex(rnd);
                write(f, (id + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return id;
            } catch (IOException e) {
                throw AndockException.wrap("device id", e);
            }
        });
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "device";
        }
    }

    // ---------------------------------------------------------------- the journal of the update under way

    Optional<JsonObject> journal() {
        Path f = dir.resolve("journal.json");
        try {
            return Files.exists(f) ? Optional.of(JsonObject.parse(Files.readAllBytes(f))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new AndockException(AndockException.Kind.CORRUPT, "read " + f + ": " + e.getMessage());
        }
    }

    void writeJournal(Map<String, Object> entry) {
        write(dir.resolve("journal.json"), Json.writeBytes(entry));
    }

    void clearJournal() {
        try {
            Files.deleteIfExists(dir.resolve("journal.json"));
        } catch (IOException e) {
            throw AndockException.wrap("clear the follow journal", e);
        }
    }

    // ---------------------------------------------------------------- files

    /** The agent's lock, held for its life; empty when another process (the daemon, another agent) holds it. */
    Optional<FileLock> tryAgentLock() {
        try {
            makeDir();
            FileChannel ch = FileChannel.open(dir.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) ch.close();
            return Optional.ofNullable(l);
        } catch (IOException e) {
            throw AndockException.wrap("lock " + dir.resolve("agent.lock"), e);
        }
    }

    private synchronized <T> T locked(java.util.function.Supplier<T> body) {
        try {
            makeDir();
            try (FileChannel ch = FileChannel.open(dir.resolve("follows.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return body.get();
            }
        } catch (IOException e) {
            throw AndockException.wrap("lock " + dir.resolve("follows.lock"), e);
        }
    }

    private void write(Path f, byte[] bytes) {
        try {
            makeDir();
            Path tmp = dir.resolve("." + f.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw AndockException.wrap("write " + f, e);
        }
    }
}
