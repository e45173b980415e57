package io.andock.runtime;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Local volumes: {@code <root>/volumes/<name>/_data}, as Docker's {@code local} driver lays them out. A volume is
 * created on first use; a new, empty one is filled from the image's content at its mount path (Docker's copy-up).
 */
public final class VolumeStore {
    private final Path dir;
    private final Function<String, List<String>> users;

    /** {@code users}: name → ids of the containers that mount it (for the "in use" refusal). */
    VolumeStore(Path dir, Function<String, List<String>> users) {
        this.dir = dir;
        this.users = users;
    }

    public Path dataDir(String name) {
        return dir.resolve(name).resolve("_data");
    }

    /** Creates the volume if needed; returns true when it was created now. */
    public boolean create(String name) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) throw AndockException.invalid("invalid volume name: " + name);
        Path data = dataDir(name);
        if (Files.isDirectory(data)) return false;
        try {
            Files.createDirectories(data.getParent());
            try {
                Files.createDirectory(data);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            Files.setAttribute(data, "unix:mode", 0755);
            return true;
        } catch (IOException e) {
            throw AndockException.wrap("create volume " + name, e);
        }
    }

    public boolean exists(String name) {
        return Files.isDirectory(dataDir(name));
    }

    public List<String> list() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (Files.isDirectory(p.resolve("_data"))) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw AndockException.wrap("list volumes", e);
        }
        out.sort(null);
        return out;
    }

    public void remove(String name, boolean force) {
        if (!exists(name)) throw AndockException.notFound("get " + name + ": no such volume");
        List<String> ids = users.apply(name);
        if (!ids.isEmpty()) {
            throw AndockException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", ids) + "]");
        }
        TreeCopy.delete(dir.resolve(name));
    }

    /** Fills a just-created volume with the image's content at {@code target}, if there is any. */
    void seed(String name, Path imageRootfs, String target) {
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
