package io.andock.daemon.handler;

import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.engine.PathStat;
import io.andock.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code docker cp}: {@code HEAD|GET|PUT /containers/{id}/archive?path=}, through the engine's one copy mechanism
 * ({@link io.andock.engine.Engine#copyIn}/{@code copyOut}/{@code statPath}): paths resolved inside the container,
 * tars read and written in Java, nothing reaching the host. Created, running and stopped containers alike.
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

    private static String path(Exchange x) {
        String path = x.query().get("path");
        if (path == null || path.isEmpty()) throw ApiException.badRequest("path is required");
        return path;
    }

    private static void statHeader(Exchange x, PathStat st) {
        x.responseHeader("X-Docker-Container-Path-Stat",
                Base64.getEncoder().encodeToString(Json.write(st.toJson()).getBytes(StandardCharsets.UTF_8)));
    }

    void stat(Exchange x) {
        statHeader(x, containers.statPath(x.param("id"), path(x)));
        x.status(200);
    }

    void get(Exchange x) throws IOException {
        String path = path(x);
        statHeader(x, containers.statPath(x.param("id"), path)); // 404 before the body starts
        OutputStream out = x.stream("application/x-tar");
        containers.copyOut(x.param("id"), path, out);
        out.close();
    }

    void put(Exchange x) throws IOException {
        try (InputStream in = x.body()) {
            containers.copyIn(x.param("id"), path(x), in, x.query().bool("copyUIDGID", false));
        }
        x.status(200);
    }
}
