package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Router;

import java.util.List;

/**
 * {@code /plugins}: andock has no managed plugins (its volume driver is {@code local}, its log driver
 * {@code json-file}), so the list is empty and every named plugin is not found, as on a dockerd with none
 * installed; installing one is refused with 501.
 */
public final class PluginHandler {
    public void register(Router r) {
        Router.Route notFound = x -> {
            throw AndockException.notFound("plugin \"" + x.param("name") + "\" not found");
        };
        Router.Route unsupported = x -> {
            throw ApiException.notImplemented("andock does not support managed plugins");
        };
        r.get("/plugins", x -> x.json(200, List.of()))
                .get("/plugins/privileges", unsupported)
                .post("/plugins/pull", unsupported)
                .post("/plugins/create", unsupported)
                .get("/plugins/{name*}/json", notFound)
                .delete("/plugins/{name*}", notFound)
                .post("/plugins/{name*}/enable", notFound)
                .post("/plugins/{name*}/disable", notFound)
                .post("/plugins/{name*}/push", notFound)
                .post("/plugins/{name*}/set", notFound)
                .post("/plugins/{name*}/upgrade", notFound);
    }
}
