package io.andock.container;

import io.andock.os.Owner;
import io.andock.os.ProcessTable;
import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.os.FileTrees;
import io.andock.os.ProcessLock;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Containers on disk, {@code <root>/containers/<id>/}: {@code config.json} (the {@link ContainerRecord}, written
 * at create, replaced only by {@link #rename} and {@link #updateSpec}) and {@code state.json} (the {@link ContainerState}), both replaced atomically; the monitor's {@code pid} and
 * {@code exit} files; the bundle, rootfs, log. Names are unique: a create checks them under {@code .lock}, so many
 * andock processes may create at once. A removal renames the directory to {@code .trash-<id>} before deleting it.
 *
 * <p>{@link #state} reconciles: a "running" container whose monitor is gone (pid dead, reused, or another boot)
 * is reported exited, with the exit status the monitor recorded, or 255 when it recorded none.
 */
public final class ContainerStore {
    private final Path dir;

    public ContainerStore(Path root) {
        this.dir = root.resolve("containers");
    }

    /** The container's directory; {@code id} must be a full id ({@link StoreNames#isId}), else "No such container". */
    public ContainerDir dir(String id) {
        return new ContainerDir(dir.resolve(StoreNames.requireContainerId(id)));
    }

    /** Whether {@code id}'s directory is a real directory of this store (not a symlink planted in it). */
    private boolean present(String id) {
        return Files.isDirectory(dir(id).path(), LinkOption.NOFOLLOW_LINKS);
    }

    public static String newId() {
        return HexFormat.of().formatHex(io.andock.os.RandomBytes.of(32));
    }

    /**
     * Creates container {@code id} named {@code name}: reserves the name under {@code .lock} (a {@code .new-<id>}
     * directory holding a {@code name} file counts as taken), then, outside the lock, lets {@code prepare} fill the
     * directory and return the record, and publishes it by renaming {@code .new-<id>} to {@code <id>}.
     */
    public void create(String id, String name, java.util.function.Function<ContainerDir, ContainerRecord> prepare) {
        StoreNames.requireContainerId(id);
        StoreNames.containerName(name);
        ContainerDir made = new ContainerDir(dir.resolve(".new-" + id));
        Path tmp = made.path();
        try {
            try (ProcessLock lock = ProcessLock.exclusive(dir.resolve(".lock"))) {
                String holder = nameHolder(name);
                if (holder != null) {
                    throw new AndockException(AndockException.Kind.CONFLICT, "Conflict. The container name \"/" + name
                            + "\" is already in use by container \"" + holder + "\". You have to remove (or rename) that container"
                            + " to be able to reuse that name.");
                }
                Files.createDirectories(tmp);
                Owner.write(made.owner());
                Files.writeString(made.pendingName(), name);
            }
            ContainerRecord record = prepare.apply(made);
            write(made.config(), record);
            write(made.state(), ContainerState.created());
            Files.move(tmp, dir(id).path(), StandardCopyOption.ATOMIC_MOVE);
        } catch (Throwable e) { // an Error too (OutOfMemoryError): the overlay must not stay mounted on .new-<id>
            removeHalfMade(tmp);
            if (e instanceof AndockException a) throw a;
            if (e instanceof Error err) throw err;
            throw AndockException.wrap("create container " + name, e);
        }
    }

    /**
     * {@code docker rename}: gives container {@code id} the name {@code newName} (checked like a new one, free
     * under {@code .lock}); its {@code config.json} is replaced atomically. Docker's 409 when the name is taken.
     */
    public void rename(String id, String newName) {
        String n = StoreNames.containerName(newName);
        try (ProcessLock lock = ProcessLock.exclusive(dir.resolve(".lock"))) {
            ContainerRecord r = record(id);
            if (r.name().equals(n)) {
                throw AndockException.invalid("Renaming a container with the same name as its current name");
            }
            String holder = nameHolder(n);
            if (holder != null) {
                throw new AndockException(AndockException.Kind.CONFLICT, "Conflict. The container name \"/" + n
                        + "\" is already in use by container \"" + holder + "\". You have to remove (or rename) that container"
                        + " to be able to reuse that name.");
            }
            write(dir(id).config(), r.withName(n));
        } catch (IOException e) {
            throw AndockException.wrap("rename container " + id, e);
        }
    }

    /**
     * Replaces container {@code id}'s spec with {@code change} applied to it ({@code docker update}: restart
     * policy, resources), under {@code .lock} so that a rename meanwhile is not undone; returns the new record.
     */
    public ContainerRecord updateSpec(String id, java.util.function.UnaryOperator<ContainerSpec> change) {
        try (ProcessLock lock = ProcessLock.exclusive(dir.resolve(".lock"))) {
            ContainerRecord r = record(id);
            ContainerRecord updated = r.withSpec(change.apply(r.spec()));
            write(dir(id).config(), updated);
            return updated;
        } catch (IOException e) {
            throw AndockException.wrap("update container " + id, e);
        }
    }

    /** The id of the container (or container being created) that holds {@code name}, or null. */
    private String nameHolder(String name) throws IOException {
        for (String id : ids()) {
            ContainerRecord other = recordOrNull(id);
            if (other != null && other.name().equals(name)) return id;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(".new-"))) {
            for (Path p : ds) {
                try {
                    // Only a create under way holds its name: one whose process is gone (kill -9 of `run --name N`,
                    // or of the follow agent swapping N) does not, nor one a sweep is deleting (its owner file,
                    // written before the name, is gone already or its mount kept it). Else N could not be used
                    // again for minutes, and a swap could not give the old container its name back.
                    ContainerDir made = new ContainerDir(p);
                    if (Files.readString(made.pendingName()).equals(name) && creating(made)
                            && Files.getLastModifiedTime(p).toMillis() > System.currentTimeMillis() - 600_000) {
                        return p.getFileName().toString().substring(5);
                    }
                } catch (NoSuchFileException ignored) {
                    // finished or abandoned meanwhile
                }
            }
        }
        return null;
    }

    /** Whether the process that made this {@code .new-} directory still runs (its owner file names it). */
    private static boolean creating(ContainerDir made) {
        try {
            return !Owner.gone(Files.readString(made.owner()));
        } catch (IOException e) {
            return false;
        }
    }

    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (StoreNames.isId(n) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) out.add(n);
            }
        } catch (IOException e) {
            throw AndockException.wrap("list containers", e);
        }
        return out;
    }

    /**
     * Finds a container by full id, name (with or without {@code /}) or unique id prefix. Anything that is neither a
     * valid name nor a hex prefix is "No such container" without a look at the disk.
     */
    public String resolve(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) throw AndockException.invalid("container name or ID cannot be empty");
        String n = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        if (!StoreNames.isName(n) && !StoreNames.isIdPrefix(n)) {
            throw AndockException.notFound("No such container: " + StoreNames.printable(idOrName));
        }
        if (StoreNames.isId(n) && present(n) && Files.isRegularFile(dir(n).config(), LinkOption.NOFOLLOW_LINKS)) return n;
        List<String> ids = ids();
        for (String id : ids) {
            ContainerRecord r = recordOrNull(id);
            if (r != null && r.name().equals(n)) return id;
        }
        List<String> prefixed = ids.stream().filter(id -> id.startsWith(n)).toList();
        if (prefixed.size() == 1 && recordOrNull(prefixed.get(0)) != null) return prefixed.get(0);
        if (prefixed.size() > 1) throw AndockException.invalid("multiple IDs found with provided prefix: " + n);
        throw AndockException.notFound("No such container: " + StoreNames.printable(idOrName));
    }

    public ContainerRecord record(String id) {
        ContainerRecord r = recordOrNull(id);
        if (r == null) throw AndockException.notFound("No such container: " + id);
        return r;
    }

    public ContainerRecord recordOrNull(String id) {
        if (!present(id)) return null;
        try {
            return ContainerRecord.fromJson(JsonObject.parse(Files.readAllBytes(dir(id).config())));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw AndockException.wrap("read container " + id, e);
        }
    }

    ContainerState rawState(String id) {
        if (!present(id)) throw AndockException.notFound("No such container: " + id);
        try {
            return ContainerState.fromJson(JsonObject.parse(Files.readAllBytes(dir(id).state())));
        } catch (NoSuchFileException e) {
            throw AndockException.notFound("No such container: " + id);
        } catch (IOException e) {
            throw AndockException.wrap("read container state " + id, e);
        }
    }

    /** The state, reconciled with the monitor's exit file and liveness (see the class comment). */
    public ContainerState state(String id) {
        ContainerState s = rawState(id);
        if (!s.running()) return s;
        Exit exit = exit(id);
        if (exit == null && !ProcessTable.same(s.monitorPid(), s.monitorStart(), s.bootId())) {
            exit = exit(id); // the monitor may have finished between the two looks
            if (exit == null) exit = new Exit(255, io.andock.Timestamps.format(Instant.now()), "container monitor exited unexpectedly");
        }
        if (exit == null) return s;
        ContainerState done = s.exited(exit.code, exit.finishedAt, exit.error);
        writeState(id, done);
        return done;
    }

    public record Exit(int code, String finishedAt, String error) {}

    /** The monitor's {@code exit} file: {@code CODE EPOCH_SECONDS}. */
    public Exit exit(String id) {
        try {
            String[] f = Files.readString(dir(id).exit()).trim().split("\\s+");
            long secs = f.length > 1 && !f[1].isEmpty() ? Long.parseLong(f[1]) : Instant.now().getEpochSecond();
            return new Exit(Integer.parseInt(f[0]), Instant.ofEpochSecond(secs).toString(), "");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The exit code an auto-removed ({@code --rm}) container's monitor left in {@code .exited/<id>} before removing
     * its directory, or null. Tombstones are swept after {@link #TOMBSTONE_MILLIS}.
     */
    public Integer tombstone(String id) {
        if (!StoreNames.isId(id)) return null;
        try {
            return Integer.parseInt(Files.readString(dir.resolve(".exited").resolve(id)).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static final long TOMBSTONE_MILLIS = 10 * 60_000;

    /** Writes state.json atomically; a container removed meanwhile (its monitor's {@code --rm}) is ignored. */
    public void writeState(String id, ContainerState state) {
        Path d = dir(id).path();
        try {
            write(dir(id).state(), state);
        } catch (NoSuchFileException e) {
            // removed by its monitor (--rm)
        } catch (IOException e) {
            if (Files.isDirectory(d)) throw AndockException.wrap("write container state " + id, e);
        }
    }

    public static void write(Path file, Object json) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Files.write(tmp, Json.writeBytes(json));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the container's directory: rename first (so it vanishes at once from listings), then delete. */
    public void delete(String id) {
        Path d = dir(id).path();
        Path trash = dir.resolve(".trash-" + id);
        // a symlink planted as <id> is moved and unlinked, never followed (FileTrees.removeTree does not follow links)
        try {
            Files.move(d, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw AndockException.wrap("remove container " + id, e);
        }
        FileTrees.removeTree(trash);
    }

    /**
     * Every container's hold on its image, in any state: published containers (their {@code config.json}), those
     * half-created ({@code .new-<id>}, from the {@code image.json} written before their rootfs is made), and those
     * half-removed ({@code .trash-<id>}) only while something is still mounted below them: every remover unmounts
     * before it renames, and the monitor of a {@code --rm} container deletes its trash just after the run has
     * returned (andock-monitor.sh), so the files left hold no snapshot and an rmi right after is not refused.
     */
    public List<ImageUse> imageUses() {
        List<ImageUse> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.length() == 64) {
                    ContainerRecord r = recordOrNull(n);
                    if (r != null) out.add(new ImageUse(n, r.imageId(), r.imageRootfs(), runningQuietly(n)));
                } else if (n.startsWith(".new-") || n.startsWith(".trash-") && stillMounted(p)) {
                    ImageUse u = pendingUse(new ContainerDir(p), n.substring(n.indexOf('-') + 1));
                    if (u != null) out.add(u);
                }
            }
        } catch (IOException e) {
            throw AndockException.wrap("list containers", e);
        }
        return out;
    }

    /** Whether something is mounted below {@code trash} (a mount that would not go). */
    private static boolean stillMounted(Path trash) {
        try {
            return ContainerRootfs.mountedBelow(trash.toRealPath()); // as /proc/self/mountinfo names it
        } catch (IOException e) {
            return false; // deleted meanwhile
        }
    }

    private boolean runningQuietly(String id) {
        try {
            return state(id).running();
        } catch (AndockException e) {
            return false; // removed meanwhile
        }
    }

    private static ImageUse pendingUse(ContainerDir d, String id) {
        for (Path f : List.of(d.config(), d.imageUse())) {
            try {
                JsonObject o = JsonObject.parse(Files.readAllBytes(f));
                return new ImageUse(id, o.string("ImageId"), o.string("ImageRootfs"), false);
            } catch (IOException | RuntimeException e) {
                // not written yet, or gone: try the next
            }
        }
        return null;
    }

    /** Records in a {@code .new-<id>} directory which image it is made from, before its rootfs goes on the snapshot. */
    public static void writeImageUse(ContainerDir newDir, String imageId, String imageRootfs) throws IOException {
        write(newDir.imageUse(), java.util.Map.of("ImageId", imageId, "ImageRootfs", imageRootfs));
    }

    /** A lock for one container's lifecycle transitions (start, stop, remove). */
    public ProcessLock lock(String id) {
        return ProcessLock.exclusive(dir.resolve(".locks").resolve(StoreNames.requireContainerId(id)));
    }

    /**
     * Unmounts what is mounted below a half-made or half-removed container directory (its overlay rootfs, whose
     * lower dir is an image snapshot), then deletes it; never deletes through a mount that would not go.
     */
    static void removeHalfMade(Path d) {
        ContainerRootfs.unmountAll(d);
        if (ContainerRootfs.mountedBelow(d)) return; // a busy mount: left for a later sweep
        FileTrees.removeTree(d);
    }

    /**
     * Deletes leftovers: half-created directories whose creating process is gone (or, with no owner recorded, older
     * than a minute), trash of interrupted removals older than a minute, old tombstones; overlays still mounted on
     * them are unmounted first.
     */
    public void sweep() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(".trash-")
                || p.getFileName().toString().startsWith(".new-"))) {
            for (Path p : ds) {
                boolean stale = p.getFileName().toString().startsWith(".new-") ? Owner.abandoned(p, new ContainerDir(p).owner(), 60_000)
                        : Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 60_000;
                if (stale) removeHalfMade(p);
            }
        } catch (IOException | AndockException ignored) {
            // best effort
        }
        sweepTombstones(dir.resolve(".exited"));
    }

    /**
     * In {@code .exited}: the file whose mtime is the earliest moment a tombstone there can be old enough to go (the
     * oldest one's expiry when the last sweep ran; a newer tombstone expires later). Until then a sweep reads no
     * tombstone: every command sweeps, and a busy root holds ten minutes of them ({@code run --rm} leaves one each).
     */
    public static final String NEXT_TOMBSTONE_SWEEP = ".next-sweep";

    private static void sweepTombstones(Path exited) {
        Path next = exited.resolve(NEXT_TOMBSTONE_SWEEP);
        long now = System.currentTimeMillis();
        try {
            if (Files.getLastModifiedTime(next).toMillis() > now) return;
        } catch (IOException e) {
            if (!Files.isDirectory(exited)) return; // none yet
        }
        long oldest = now;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(exited)) {
            for (Path p : ds) {
                if (p.getFileName().toString().startsWith(".")) continue;
                long t = Files.getLastModifiedTime(p).toMillis();
                if (t < now - TOMBSTONE_MILLIS) Files.deleteIfExists(p);
                else oldest = Math.min(oldest, t);
            }
            if (!Files.exists(next)) Files.createFile(next);
            Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.fromMillis(oldest + TOMBSTONE_MILLIS));
        } catch (IOException ignored) {
            // best effort
        }
    }
}
