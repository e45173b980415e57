package io.andock.daemon.handler;

import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Router;

/**
 * The swarm-mode endpoints (swarm, services, nodes, secrets, configs, tasks), answered as a dockerd that is not in
 * a swarm answers them: clients call {@code POST /swarm/leave} in their teardown and read {@code GET /swarm}'s 503
 * as "no swarm here", so a 404 would break them. andock does not do swarm mode: init and join are refused with 501.
 */
public final class SwarmHandler {
    /** dockerd 20.10's words, byte for byte (clients match on them). */
    static final String NOT_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or"
            + " \"docker swarm join\" to connect this node to swarm and try again.";
    static final String NOT_IN_SWARM = "This node is not part of a swarm";

    public void register(Router r) {
        Router.Route notManager = x -> {
            throw new ApiException(503, NOT_MANAGER);
        };
        Router.Route unsupported = x -> {
            throw ApiException.notImplemented("andock does not support swarm mode");
        };
        r.post("/swarm/leave", x -> {
            throw new ApiException(503, NOT_IN_SWARM);
        });
        r.post("/swarm/init", unsupported).post("/swarm/join", unsupported);
        r.get("/swarm", notManager).post("/swarm/update", notManager)
                .get("/swarm/unlockkey", notManager).post("/swarm/unlock", notManager);
        // dockerd's routes: services, secrets and configs are created and updated; nodes updated; tasks only read
        for (String kind : new String[] {"services", "nodes", "secrets", "configs", "tasks"}) {
            r.get("/" + kind, notManager).get("/" + kind + "/{id}", notManager);
        }
        for (String kind : new String[] {"services", "secrets", "configs"}) {
            r.post("/" + kind + "/create", notManager).delete("/" + kind + "/{id}", notManager);
        }
        for (String kind : new String[] {"services", "nodes", "secrets", "configs"}) {
            r.post("/" + kind + "/{id}/update", notManager);
        }
        r.delete("/nodes/{id}", notManager).get("/services/{id}/logs", notManager).get("/tasks/{id}/logs", notManager);
    }
}
