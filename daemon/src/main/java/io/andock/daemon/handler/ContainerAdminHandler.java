package io.andock.daemon.handler;

import io.andock.container.RestartPolicy;
import io.andock.daemon.backend.ContainerAdminBackend;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.engine.ContainerSnapshots;
import io.andock.json.JsonObject;
import io.andock.task.ContainerEditor;
import io.andock.task.ContainerTop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container endpoints that read or change a container as a whole: {@code top}, {@code changes} (diff),
 * {@code export}, {@code rename}, {@code update} and {@code POST /commit}, in dockerd's shapes.
 */
public final class ContainerAdminHandler {
    /** {@code docker update} fields andock does not apply: a warning each when set, as dockerd warns of what it cannot. */
    private static final List<String> IGNORED_UPDATES = List.of("CpuShares", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod",
            "CpuRealtimeRuntime", "CpusetCpus", "CpusetMems", "BlkioWeight", "MemoryReservation", "MemorySwap", "KernelMemory");
    private final ContainerAdminBackend admin;
    private final ContainerBackend containers;

    public ContainerAdminHandler(ContainerAdminBackend admin, ContainerBackend containers) {
        this.admin = admin;
        this.containers = containers;
    }

    public void register(Router r) {
        r.get("/containers/{id}/top", this::top)
                .get("/containers/{id}/changes", this::changes)
                .get("/containers/{id}/export", this::export)
                .post("/containers/{id}/rename", this::rename)
                .post("/containers/{id}/update", this::update)
                .post("/commit", this::commit);
    }

    void top(Exchange x) {
        ContainerTop.Table t = admin.top(x.param("id"), x.query().get("ps_args"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Processes", t.processes());
        m.put("Titles", t.titles());
        x.json(200, m);
    }

    /** dockerd answers {@code null} for no changes (its nil slice); the CLI prints nothing then. */
    void changes(Exchange x) {
        List<Object> out = new ArrayList<>();
        admin.diff(x.param("id")).forEach((path, kind) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Kind", kind.ordinal());
            m.put("Path", path);
            out.add(m);
        });
        x.json(200, out.isEmpty() ? null : out);
    }

    void export(Exchange x) throws IOException {
        String id = containers.resolve(x.param("id")); // a missing container is a 404 before the stream starts
        var out = x.stream("application/x-tar");
        try {
            admin.export(id, out);
        } catch (RuntimeException e) {
            out.abort(e);
            return;
        }
        out.close();
        containers.events().publish("container", "export", id, Map.of());
    }

    void rename(Exchange x) {
        String name = x.query().get("name", "");
        if (name.isEmpty()) throw ApiException.badRequest("Neither old nor new names may be empty");
        String old = containers.get(x.param("id")).name();
        String id;
        try {
            id = admin.rename(x.param("id"), name);
        } catch (io.andock.AndockException e) {
            if (e.kind() == io.andock.AndockException.Kind.CONFLICT) throw e.withContext("Error when allocating new name");
            throw e;
        }
        containers.events().publish("container", "rename", id, Map.of("name", name.startsWith("/") ? name.substring(1) : name,
                "oldName", "/" + old));
        x.status(204);
    }

    /**
     * The fields andock does not apply, as the update set them, in what inspect echoes of the client's HostConfig:
     * the same as for a value given at create (inspect shows what was asked; the warning said it is not applied).
     */
    private void echoIgnored(String id, JsonObject body) {
        Map<String, Object> sent = new LinkedHashMap<>(containers.apiHostConfig(id));
        boolean changed = false;
        for (String k : IGNORED_UPDATES) {
            Object v = body.map().get(k);
            if (v instanceof Number n && n.longValue() != 0 || v instanceof String str && !str.isEmpty()) {
                sent.put(k, v);
                changed = true;
            }
        }
        if (changed) containers.keepApiHostConfig(id, sent);
    }

    void update(Exchange x) {
        JsonObject b = x.json();
        List<String> warnings = new ArrayList<>();
        for (String k : IGNORED_UPDATES) {
            Object v = b.map().get(k);
            if (v instanceof Number n && n.longValue() != 0 || v instanceof String str && !str.isEmpty()) {
                warnings.add("andock does not apply " + k + "; it was ignored");
            }
        }
        RestartPolicy policy = null;
        JsonObject rp = b.has("RestartPolicy") ? b.object("RestartPolicy") : null;
        if (rp != null && !rp.string("Name", "").isEmpty()) {
            policy = new RestartPolicy(rp.string("Name"), (int) Math.min(Integer.MAX_VALUE, rp.number("MaximumRetryCount", 0)));
        }
        Long memory = positive(b, "Memory");
        Long cpus = positive(b, "NanoCpus");
        Long pids = b.map().get("PidsLimit") instanceof Number n ? Long.valueOf(Math.max(0, n.longValue())) : null;
        String id = x.param("id");
        warnings.addAll(admin.update(id, new ContainerEditor.Update(policy, memory, cpus, pids)));
        echoIgnored(containers.get(id).id(), b);
        containers.events().publish("container", "update", id, Map.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Warnings", warnings.isEmpty() ? null : warnings);
        x.json(200, m);
    }

    /** Docker's update: a zero or absent value leaves the limit as it is. */
    private static Long positive(JsonObject b, String key) {
        long v = b.number(key, 0);
        return v > 0 ? v : null;
    }

    void commit(Exchange x) {
        String container = x.query().get("container", "");
        if (container.isEmpty()) throw ApiException.badRequest("invalid name or ID supplied: \"\"");
        JsonObject config = x.json();
        var req = new ContainerSnapshots.CommitRequest(x.query().get("repo", ""), x.query().get("tag", ""),
                x.query().get("author", ""), x.query().get("comment", ""), config.map().isEmpty() ? null : config,
                x.query().all("changes"), x.query().bool("pause", true));
        String id = admin.commit(container, req).toString();
        containers.events().publish("container", "commit", container, Map.of());
        x.json(201, Map.of("Id", id));
    }
}
