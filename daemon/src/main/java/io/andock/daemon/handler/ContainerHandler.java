package io.andock.daemon.handler;

import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.ContainerBackend.Stdio;
import io.andock.daemon.backend.UserNetworks;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Frames;
import io.andock.daemon.http.Hijacked;
import io.andock.daemon.http.Router;
import io.andock.daemon.wire.ContainerWire;
import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import io.andock.task.LogOptions;
import io.andock.task.DetachKeys;
import io.andock.task.ExitWaiter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code /containers/...}: lifecycle, attach, wait, logs, list, inspect. */
public final class ContainerHandler {
    private static final List<String> LIST_FILTERS = List.of("status", "name", "id", "label", "ancestor", "exited");
    private final ContainerBackend containers;

    private final UserNetworks networks;

    public ContainerHandler(ContainerBackend containers) {
        this(containers, null);
    }

    public ContainerHandler(ContainerBackend containers, UserNetworks networks) {
        this.containers = containers;
        this.networks = networks;
    }

    public void register(Router r) {
        r.post("/containers/create", this::create)
                .get("/containers/json", this::list)
                .get("/containers/{id}/json", this::inspect)
                .post("/containers/{id}/start", this::start)
                .post("/containers/{id}/stop", this::stop)
                .post("/containers/{id}/restart", this::restart)
                .post("/containers/{id}/kill", this::kill)
                .post("/containers/{id}/wait", this::await)
                .post("/containers/{id}/attach", this::attach)
                .post("/containers/{id}/resize", this::resize)
                .get("/containers/{id}/logs", this::logs)
                .post("/containers/{id}/pause", x -> {
                    containers.pause(x.param("id"), true);
                    x.status(204);
                })
                .post("/containers/{id}/unpause", x -> {
                    containers.pause(x.param("id"), false);
                    x.status(204);
                })
                .delete("/containers/{id}", this::remove)
                .delete("/containers/{link*}", this::removeLink);
    }

    void create(Exchange x) {
        var body = x.json();
        if (Boolean.getBoolean("andock.api.trace")) System.err.println("andock-api: create " + io.andock.json.Json.write(body.map()));
        var spec = ContainerWire.spec(body, x.query().get("name"), x.query().get("platform"),
                n -> networks != null && networks.find(n) != null);
        var endpoints = networks == null ? List.<io.andock.net.Endpoint>of() : networks.endpoints(body, spec.networkMode());
        String id = containers.create(spec);
        if (body.map().get("HostConfig") instanceof Map<?, ?> hc) {
            @SuppressWarnings("unchecked") Map<String, Object> sent = (Map<String, Object>) hc;
            containers.keepApiHostConfig(id, sent);
        }
        if (networks != null) networks.setEndpoints(id, endpoints);
        x.json(201, Map.of("Id", id, "Warnings", List.of()));
    }

    void list(Exchange x) {
        boolean all = x.query().bool("all", false);
        List<String> filters = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : x.query().filters().entrySet()) {
            if (!LIST_FILTERS.contains(e.getKey())) continue; // network, volume, health...: not applicable here
            if (e.getKey().equals("label")) continue; // ANDed below; core ORs the values of one key
            for (String v : e.getValue()) filters.add(e.getKey() + "=" + v);
        }
        List<String> labels = x.query().filters().getOrDefault("label", List.of());
        Integer limit = x.query().integer("limit");
        List<ContainerView> views = containers.list(new ListOptions(all || (limit != null && limit > 0), filters));
        Instant now = Instant.now();
        List<Object> out = new ArrayList<>();
        for (ContainerView v : views) {
            if (limit != null && limit > 0 && out.size() >= limit) break;
            if (!hasAllLabels(v.record().spec().labels(), labels)) continue;
            out.add(ContainerWire.listItem(v, now));
        }
        x.json(200, out);
    }

    /** docker ANDs label filters: {@code label=a=b&label=c} is a container with both (compose asks so per service). */
    static boolean hasAllLabels(Map<String, String> have, List<String> wanted) {
        for (String l : wanted) {
            int eq = l.indexOf('=');
            boolean ok = eq < 0 ? have.containsKey(l) : l.substring(eq + 1).equals(have.get(l.substring(0, eq)));
            if (!ok) return false;
        }
        return true;
    }

    void inspect(Exchange x) {
        ContainerView v = containers.get(x.param("id"));
        Map<String, Object> doc = ContainerWire.inspect(containers.inspect(v.id()), v, containers.restartCount(v.id()));
        x.json(200, io.andock.daemon.wire.InspectFidelity.complete(doc, containers.apiHostConfig(v.id())));
    }

    void start(Exchange x) {
        x.status(containers.start(x.param("id")) ? 204 : 304);
    }

    void stop(Exchange x) {
        x.status(containers.stop(x.param("id"), x.query().integer("t"), x.query().get("signal")) ? 204 : 304);
    }

    void restart(Exchange x) {
        containers.restart(x.param("id"), x.query().integer("t"));
        x.status(204);
    }

    void kill(Exchange x) {
        containers.kill(x.param("id"), x.query().get("signal"));
        x.status(204);
    }

    void remove(Exchange x) {
        if (x.query().bool("link", false)) {
            removeLink(x);
            return;
        }
        containers.remove(x.param("id"), x.query().bool("force", false), x.query().bool("v", false));
        x.status(204);
    }

    /** {@code docker rm --link /web/db}: {@code DELETE /containers//web/db?link=1}, the link's full name as the path. */
    void removeLink(Exchange x) {
        containers.removeLink(x.param(x.param("link") != null ? "link" : "id"));
        x.status(204);
    }

    void resize(Exchange x) {
        containers.resize(x.param("id"), x.query().integer("h", 0), x.query().integer("w", 0));
        x.text(200, "text/plain; charset=utf-8", "");
    }

    /** Headers at once (the CLI sends wait before start and blocks on them), the body when the condition is met. */
    void await(Exchange x) throws IOException {
        String id = containers.resolve(x.param("id"));
        // checked before the headers go: an invalid condition is a 400, not a stream cut short
        ExitWaiter.Condition condition = ExitWaiter.Condition.parse(x.query().get("condition"));
        var out = x.stream("application/json");
        ContainerBackend.WaitResult r = containers.await(id, condition, x::clientGone);
        if (r == null) {
            out.abort(new ApiException(499, "client went away"));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("StatusCode", r.statusCode());
        m.put("Error", null);
        out.write((io.andock.json.Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8));
        out.close();
    }

    /**
     * {@code POST /containers/{id}/attach}: {@code logs} replays the log first, {@code stream} follows; with stdin,
     * typing the detach keys ({@code detachKeys}, else ctrl-p,ctrl-q) ends the attachment and leaves the container
     * running, as in Docker.
     */
    void attach(Exchange x) throws IOException {
        ContainerView v = containers.get(x.param("id"));
        boolean tty = ContainerWire.tty(v.record());
        boolean stdin = x.query().bool("stdin", false);
        boolean stdout = x.query().bool("stdout", false);
        boolean stderr = x.query().bool("stderr", false);
        boolean logs = x.query().bool("logs", false);
        boolean stream = x.query().bool("stream", false);
        DetachKeys keys = DetachKeys.parse(x.query().get("detachKeys", "")); // a 400 before the upgrade
        Hijacked h = x.hijack(Frames.contentType(tty, x));
        OutputStream pipe = h.output();
        OutputStream out = !stdout ? OutputStream.nullOutputStream() : tty ? pipe : new Frames(pipe, Frames.STDOUT);
        OutputStream err = !stderr ? OutputStream.nullOutputStream() : tty ? pipe : new Frames(pipe, Frames.STDERR);
        AtomicBoolean detached = new AtomicBoolean();
        InputStream in = stdin ? keys.watch(h.input(), () -> detached.set(true)) : null;
        ContainerBackend.Attachment a;
        try {
            a = containers.attach(v.id(), new Stdio(in, out, err), logs, stream);
        } catch (RuntimeException e) {
            x.detach(h::close);
            throw e;
        }
        x.detach(() -> {
            try {
                a.await(x::clientGone, detached::get);
            } finally {
                h.close();
            }
        });
    }

    void logs(Exchange x) throws IOException {
        ContainerView v = containers.get(x.param("id"));
        boolean tty = ContainerWire.tty(v.record());
        boolean stdout = x.query().bool("stdout", false);
        boolean stderr = x.query().bool("stderr", false);
        if (!stdout && !stderr) throw ApiException.badRequest("Bad parameters: you must choose at least one stream");
        if (!v.record().spec().effectiveLogConfig().keepsLogs()) {
            throw new io.andock.AndockException(io.andock.AndockException.Kind.UNSUPPORTED, "configured logging driver does not support reading");
        }
        String tail = x.query().get("tail", "all");
        int n;
        try {
            n = tail.equals("all") ? -1 : Integer.parseInt(tail.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        java.time.Instant now = java.time.Instant.now();
        LogOptions o = new LogOptions(x.query().bool("follow", false), n, x.query().bool("timestamps", false),
                LogOptions.parseTime(x.query().get("since", ""), now), LogOptions.parseTime(x.query().get("until", ""), now),
                stdout || tty, stderr || tty);
        var pipe = x.stream(Frames.contentType(tty, x));
        // a TTY has one stream, sent raw; otherwise stdout and stderr in frames 1 and 2
        OutputStream out = tty ? pipe : new Frames(pipe, Frames.STDOUT);
        OutputStream err = tty ? pipe : new Frames(pipe, Frames.STDERR);
        try {
            containers.logs(v.id(), o, out, err, x::clientGone);
        } catch (RuntimeException e) {
            if (x.clientGone()) {
                pipe.abort(e);
                return;
            }
            throw e;
        }
        pipe.close();
    }
}
