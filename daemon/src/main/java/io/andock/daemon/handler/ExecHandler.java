package io.andock.daemon.handler;

import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.ContainerBackend.ExecInfo;
import io.andock.daemon.backend.ContainerBackend.Stdio;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Frames;
import io.andock.daemon.http.Hijacked;
import io.andock.daemon.http.Router;
import io.andock.json.JsonObject;
import io.andock.task.DetachKeys;
import io.andock.task.ExecSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /containers/{id}/exec}, {@code /exec/{id}/start|resize|json}. */
public final class ExecHandler {
    private final ContainerBackend containers;
    /** What exec create asked that only the API uses (framing, detach keys): the newest 4096 instances. */
    private final Map<String, ApiOptions> options = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApiOptions> eldest) {
            return size() > 4096;
        }
    });

    private record ApiOptions(boolean tty, DetachKeys detachKeys) {
    }

    public ExecHandler(ContainerBackend containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.post("/containers/{id}/exec", this::create)
                .post("/exec/{id}/start", this::start)
                .post("/exec/{id}/resize", this::resize)
                .get("/exec/{id}/json", this::inspect);
    }

    void create(Exchange x) {
        JsonObject b = x.json();
        List<String> cmd = b.strings("Cmd");
        if (cmd == null || cmd.isEmpty()) throw io.andock.AndockException.invalid("No exec command specified");
        List<String> env = b.strings("Env");
        // a pty where the host can make one (io.andock.task.Pty), else pipes with the raw stream a TTY client expects
        ExecSpec spec = new ExecSpec(cmd, env == null ? List.of() : env, emptyToNull(b.string("User")),
                emptyToNull(b.string("WorkingDir")), b.bool("Tty") && io.andock.task.Pty.available(), b.bool("AttachStdin"));
        // a 400 before the instance exists; docker-py sends "detachKeys" (dockerd's JSON decoding ignores the case)
        DetachKeys keys = DetachKeys.parse(b.has("DetachKeys") ? b.string("DetachKeys") : b.string("detachKeys"));
        String id = containers.execCreate(x.param("id"), spec, b.bool("AttachStdout"), b.bool("AttachStderr"));
        options.put(id, new ApiOptions(b.bool("Tty"), keys));
        x.json(201, Map.of("Id", id));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * {@code POST /exec/{id}/start}: the start request's {@code Tty} decides the framing, as in Docker (create's
     * when the request has none); typing the detach keys ends the session and leaves the process running.
     */
    void start(Exchange x) throws IOException {
        String id = x.param("id");
        JsonObject b = x.json();
        ExecInfo e = containers.exec(id);
        if (b.bool("Detach")) {
            containers.execStartDetached(id);
            x.status(200);
            return;
        }
        ApiOptions o = options.getOrDefault(id, new ApiOptions(false, DetachKeys.DEFAULT));
        boolean tty = b.has("Tty") ? b.bool("Tty") : o.tty();
        Hijacked h = x.hijack(Frames.contentType(tty, x));
        x.detach(() -> session(h, id, tty, o.detachKeys()));
    }

    private void session(Hijacked h, String id, boolean tty, DetachKeys keys) {
        OutputStream pipe = h.output();
        OutputStream err = tty ? pipe : new Frames(pipe, Frames.STDERR);
        try {
            OutputStream out = tty ? pipe : new Frames(pipe, Frames.STDOUT);
            // on the keys the connection closes at once; the process goes on, its output no longer read by anyone
            containers.execStart(id, new Stdio(keys.watch(h.input(), h::close), out, err));
        } catch (RuntimeException ex) {
            try {
                err.write(("andock: exec failed: " + ex.getMessage() + (tty ? "\r\n" : "\n")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // client gone
            }
        } finally {
            h.close(); // the exit code is recorded before this (the CLI asks for it at EOF)
        }
    }

    void resize(Exchange x) {
        containers.execResize(x.param("id"), x.query().integer("h", 0), x.query().integer("w", 0));
        x.text(200, "text/plain; charset=utf-8", "");
    }

    void inspect(Exchange x) {
        ExecInfo e = containers.exec(x.param("id"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id());
        m.put("Running", e.running());
        m.put("ExitCode", e.exitCode());
        Map<String, Object> pc = new LinkedHashMap<>();
        ApiOptions o = options.get(e.id());
        pc.put("tty", o != null && o.tty());
        pc.put("entrypoint", e.spec().cmd().get(0));
        pc.put("arguments", e.spec().cmd().subList(1, e.spec().cmd().size()));
        pc.put("privileged", false);
        pc.put("user", e.spec().user() == null ? "" : e.spec().user());
        m.put("ProcessConfig", pc);
        m.put("OpenStdin", e.spec().stdin());
        m.put("OpenStderr", e.attachStderr());
        m.put("OpenStdout", e.attachStdout());
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId());
        m.put("DetachKeys", o == null || o.detachKeys() == DetachKeys.DEFAULT ? "" : o.detachKeys().toString());
        m.put("Pid", 0);
        x.json(200, m);
    }
}
