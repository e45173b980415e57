package io.andock.api.handler;

import io.andock.AndockException;
import io.andock.api.http.ApiException;
import io.andock.api.http.Exchange;
import io.andock.api.http.Router;
import io.andock.api.wire.NetworkWire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /networks}: the fixed host, none and bridge networks ({@link NetworkWire}); no user-defined ones. */
public final class NetworkHandler {

    public void register(Router r) {
        r.get("/networks", this::list)
                .post("/networks/create", x -> {
                    throw ApiException.notImplemented("andock has no user-defined networks: containers use the host's network");
                })
                .post("/networks/prune", x -> x.json(200, Map.of()))
                .get("/networks/{id}", this::inspect)
                .delete("/networks/{id}", this::remove)
                .post("/networks/{id}/connect", x -> {
                    throw ApiException.notImplemented("andock has no user-defined networks");
                })
                .post("/networks/{id}/disconnect", x -> {
                    throw ApiException.notImplemented("andock has no user-defined networks");
                });
    }

    void list(Exchange x) {
        List<String> names = x.query().filters().getOrDefault("name", List.of());
        List<Object> out = new ArrayList<>();
        for (String n : NetworkWire.NAMES) if (names.isEmpty() || names.contains(n)) out.add(NetworkWire.network(n));
        x.json(200, out);
    }

    void inspect(Exchange x) {
        Map<String, Object> n = NetworkWire.find(x.param("id"));
        if (n == null) throw AndockException.notFound("network " + x.param("id") + " not found");
        x.json(200, n);
    }

    void remove(Exchange x) {
        if (NetworkWire.find(x.param("id")) == null) throw AndockException.notFound("network " + x.param("id") + " not found");
        throw new ApiException(403, x.param("id") + " is a pre-defined network and cannot be removed");
    }
}
