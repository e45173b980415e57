package io.andock.api.handler;

import io.andock.AndockException;
import io.andock.api.backend.ContainerBackend;
import io.andock.api.http.ApiException;
import io.andock.api.http.Exchange;
import io.andock.api.http.Router;
import io.andock.json.Json;
import io.andock.runtime.RootPaths;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker cp}: {@code HEAD|GET|PUT /containers/{id}/archive?path=}, through the host's {@code tar} inside the
 * container's root filesystem (symlinks resolved inside it). Works on created, running and stopped containers.
 */
public final class ArchiveHandler {
    private final ContainerBackend containers;

    public ArchiveHandler(ContainerBackend containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.head("/containers/{id}/archive", this::stat)
                .get("/containers/{id}/archive", this::get)
                .put("/containers/{id}/archive", this::put);
    }

    private Path target(Exchange x) {
        String path = x.query().get("path");
        if (path == null || path.isEmpty()) throw ApiException.badRequest("path is required");
        Path rootfs = containers.rootfs(x.param("id"));
        String p = path.startsWith("/") ? path : "/" + path;
        Path parent = RootPaths.resolve(rootfs, parentOf(p));
        String base = baseOf(p);
        Path t = base.isEmpty() ? parent : parent.resolve(base);
        if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            throw AndockException.notFound("Could not find the file " + path + " in container " + x.param("id"));
        }
        return t;
    }

    private static String parentOf(String p) {
        String s = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
        int i = s.lastIndexOf('/');
        return i <= 0 ? "/" : s.substring(0, i);
    }

    private static String baseOf(String p) {
        String s = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
        return s.equals("/") ? "" : s.substring(s.lastIndexOf('/') + 1);
    }

    private static void statHeader(Exchange x, Path t) throws IOException {
        PosixFileAttributes a = Files.readAttributes(t, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mode = 0;
        for (PosixFilePermission p : a.permissions()) mode |= 1L << (8 - p.ordinal());
        if (a.isDirectory()) mode |= 1L << 31;
        if (a.isSymbolicLink()) mode |= 1L << 27;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.getFileName() == null ? "/" : t.getFileName().toString());
        m.put("size", a.size());
        m.put("mode", mode);
        m.put("mtime", a.lastModifiedTime().toInstant().toString());
        m.put("linkTarget", a.isSymbolicLink() ? Files.readSymbolicLink(t).toString() : "");
        x.responseHeader("X-Docker-Container-Path-Stat",
                Base64.getEncoder().encodeToString(Json.write(m).getBytes(StandardCharsets.UTF_8)));
    }

    void stat(Exchange x) throws IOException {
        statHeader(x, target(x));
        x.status(200);
    }

    void get(Exchange x) throws IOException {
        Path t = target(x);
        statHeader(x, t);
        Path parent = t.getParent();
        Process p = new ProcessBuilder("tar", "-cf", "-", "-C", parent.toString(), t.getFileName().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        var out = x.stream("application/x-tar");
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        } finally {
            p.destroy();
        }
        out.close();
    }

    void put(Exchange x) throws IOException, InterruptedException {
        Path dest = target(x);
        if (!Files.isDirectory(dest)) throw ApiException.badRequest("extraction point is not a directory");
        List<String> cmd = new ArrayList<>(List.of("tar", "-xf", "-", "-C", dest.toString()));
        if (!x.query().bool("copyUIDGID", false)) cmd.add("--no-same-owner");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (InputStream in = x.body(); OutputStream o = p.getOutputStream()) {
            in.transferTo(o);
        } catch (IOException e) {
            // tar stopped reading: its exit status says why
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw ApiException.badRequest("extract archive into " + x.query().get("path") + ": " + err);
        x.status(200);
    }
}
