package io.andock.daemon.handler;

import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.ContainerBackend.ExecInfo;
import io.andock.daemon.backend.ContainerBackend.Stdio;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Frames;
import io.andock.daemon.http.Hijacked;
import io.andock.daemon.http.Router;
import io.andock.json.JsonObject;
import io.andock.task.ExecSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /containers/{id}/exec}, {@code /exec/{id}/start|resize|json}. */
public final class ExecHandler {
    private final ContainerBackend containers;
    private final java.util.Set<String> ttyExecs = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
        String id = containers.execCreate(x.param("id"), spec, b.bool("AttachStdout"), b.bool("AttachStderr"));
        if (b.bool("Tty")) ttyExecs.add(id);
        x.json(201, Map.of("Id", id));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    void start(Exchange x) throws IOException {
        String id = x.param("id");
        JsonObject b = x.json();
        ExecInfo e = containers.exec(id);
        if (b.bool("Detach")) {
            containers.execStartDetached(id);
            x.status(200);
            return;
        }
        boolean tty = ttyExecs.contains(id);
        Hijacked h = x.hijack(Frames.contentType(tty, x));
        x.detach(() -> session(h, id, tty));
    }

    private void session(Hijacked h, String id, boolean tty) {
        OutputStream pipe = h.output();
        OutputStream err = tty ? pipe : new Frames(pipe, Frames.STDERR);
        try {
            OutputStream out = tty ? pipe : new Frames(pipe, Frames.STDOUT);
            containers.execStart(id, new Stdio(h.input(), out, err));
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
        pc.put("tty", ttyExecs.contains(e.id()));
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
        m.put("DetachKeys", "");
        m.put("Pid", 0);
        x.json(200, m);
    }
}
