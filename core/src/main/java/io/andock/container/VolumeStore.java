package io.andock.container;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.os.FileTrees;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Local volumes: {@code <root>/volumes/<name>/_data}, as Docker's {@code local} driver lays them out. A volume is
 * created on first use; a new, empty one is filled from the image's content at its mount path (Docker's copy-up).
 */
public final class VolumeStore {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String LABELS = "labels.json";
    /** Far above any label set a client sends (the API bounds request bodies): a planted file is not read whole. */
    private static final long MAX_LABELS_BYTES = 1 << 20;
    private final Path dir;
    private final Function<String, List<String>> users;

    /** {@code users}: name → ids of the containers that mount it (for the "in use" refusal). */
    public VolumeStore(Path dir, Function<String, List<String>> users) {
        this.dir = dir;
        this.users = users;
    }

    /** The volume's {@code _data} dir; {@code name} must be a valid volume name, else "invalid". */
    public Path dataDir(String name) {
        return dir.resolve(StoreNames.volumeName(name)).resolve("_data");
    }

    /** Creates the volume if needed; returns true when it was created now. */
    public boolean create(String name) {
        Path data = dataDir(name);
        if (exists(name)) return false;
        try {
            Files.createDirectories(dir);
            try {
                Files.createDirectory(data.getParent());
            } catch (FileAlreadyExistsException e) {
                // another creator's, or something planted: checked next, never followed
            }
            if (!Files.isDirectory(data.getParent(), NOFOLLOW)) throw notAVolume(name);
            try {
                Files.createDirectory(data);
            } catch (FileAlreadyExistsException e) {
                if (!exists(name)) throw notAVolume(name);
                return false;
            }
            Files.setAttribute(data, "unix:mode", 0755);
            return true;
        } catch (IOException e) {
            throw AndockException.wrap("create volume " + name, e);
        }
    }

    /**
     * Whether the volume exists: a valid name whose {@code <name>} and {@code <name>/_data} are real directories
     * (a symlink planted in the store is no volume, so nothing is ever followed out of it).
     */
    public boolean exists(String name) {
        if (!StoreNames.isName(name)) return false;
        Path data = dataDir(name);
        return Files.isDirectory(data.getParent(), NOFOLLOW) && Files.isDirectory(data, NOFOLLOW);
    }

    /** The {@code _data} dir of an existing volume, else Docker's "no such volume" (for invalid names too). */
    public Path get(String name) {
        if (!exists(name)) throw noSuchVolume(name);
        return dataDir(name);
    }

    /** Records a just-created volume's labels, beside its {@code _data}. */
    public void writeLabels(String name, Map<String, String> labels) {
        try {
            Files.write(dataDir(name).resolveSibling(LABELS), Json.writeBytes(new TreeMap<>(labels)));
        } catch (IOException e) {
            throw AndockException.wrap("write labels of volume " + name, e);
        }
    }

    /** The labels given at create; empty when none (or when the file is missing, unreadable or not a JSON object). */
    public Map<String, String> labels(String name) {
        Path f = dataDir(name).resolveSibling(LABELS);
        try {
            if (!Files.isRegularFile(f, NOFOLLOW) || Files.size(f) > MAX_LABELS_BYTES) return Map.of();
            Map<String, String> out = new LinkedHashMap<>();
            Json.parseObject(Files.readAllBytes(f)).forEach((k, v) -> { if (v instanceof String s) out.put(k, s); });
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    public List<String> list() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (exists(p.getFileName().toString())) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw AndockException.wrap("list volumes", e);
        }
        out.sort(null);
        return out;
    }

    public void remove(String name, boolean force) {
        if (!exists(name)) throw noSuchVolume(name);
        List<String> ids = users.apply(name);
        if (!ids.isEmpty()) {
            throw AndockException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", ids) + "]");
        }
        FileTrees.removeTree(dir.resolve(name));
    }

    private AndockException notAVolume(String name) {
        return AndockException.conflict("create " + name + ": " + dir.resolve(name) + " exists and is not a volume");
    }

    /** Docker's answer for a volume it does not know (any name, valid or not). */
    public static AndockException noSuchVolume(String name) {
        return AndockException.notFound("get " + StoreNames.printable(name) + ": no such volume");
    }

    /** Fills a just-created volume with the image's content at {@code target}, if there is any. */
    public void seed(String name, Path imageRootfs, String target) {
        Path src = RootPaths.resolve(imageRootfs, target);
        Path data = dataDir(name);
        try {
            if (!Files.isDirectory(src) || Files.isSymbolicLink(src)) return;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(data)) {
                if (ds.iterator().hasNext()) return;
            }
            TreeCopy.copy(src, data);
        } catch (IOException e) {
            throw AndockException.wrap("copy image content into volume " + name, e);
        }
    }
}
