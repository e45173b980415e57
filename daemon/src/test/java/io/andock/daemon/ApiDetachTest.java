package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attach and exec over the raw API, as client libraries drive them (docker-py's own tests do exactly this): the
 * detach keys end the session and leave the process running; {@code logs=1&stream=0} replays and returns; the
 * start request's {@code Tty} frames an exec's output.
 */
class ApiDetachTest {
    static DaemonFixture f;
    static String bb;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        bb = f.image("busybox");
        assertThat(f.run("pull", bb).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    /** A raw connection after the upgrade: what the daemon sends is collected by a reader thread. */
    static final class Session implements AutoCloseable {
        final SocketChannel ch;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        volatile boolean eof;
        final Thread reader;

        Session(String request, String body) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(f.socket));
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            send(request + " HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n" + new String(b, StandardCharsets.ISO_8859_1));
            // the channel itself, not Channels' streams: those take one lock for reads and writes alike
            reader = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                try {
                    while (ch.read(buf.clear()) >= 0) {
                        synchronized (got) {
                            got.write(buf.array(), 0, buf.position());
                        }
                    }
                } catch (IOException ignored) {
                    // closed
                }
                eof = true;
            });
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            synchronized (got) {
                return got.toString(StandardCharsets.ISO_8859_1);
            }
        }

        boolean waitFor(String s) throws InterruptedException {
            for (int i = 0; i < 300 && !text().contains(s); i++) Thread.sleep(50);
            return text().contains(s);
        }

        boolean waitEof() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(15));
            return eof;
        }

        void send(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) ch.write(b);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static String running(String name) throws Exception {
        return f.run("inspect", "-f", "{{.State.Running}}", name).out().trim();
    }

    @Test
    void attach_defaultDetachKeys_endTheSession_theContainerRuns() throws Exception {
        assertThat(f.run("run", "-dit", "--name", "detach-default", bb, "cat").code()).isZero();
        try (Session s = new Session("POST /v1.47/containers/detach-default/attach?stdin=1&stdout=1&stderr=1&stream=1", null)) {
            assertThat(s.waitFor("101")).isTrue();
            s.send("hello\n");
            assertThat(s.waitFor("hello")).as(s.text()).isTrue();
            s.send("\u0010\u0011");
            assertThat(s.waitEof()).as("the daemon closes the session").isTrue();
        }
        assertThat(running("detach-default")).isEqualTo("true");
        // and its stdin was not closed: a second attach still talks to cat
        try (Session s = new Session("POST /v1.47/containers/detach-default/attach?stdin=1&stdout=1&stream=1", null)) {
            assertThat(s.waitFor("101")).isTrue();
            s.send("again\n");
            assertThat(s.waitFor("again")).as(s.text()).isTrue();
        }
        f.run("rm", "-f", "detach-default");
    }

    @Test
    void attach_customDetachKeys_andInvalidOnesAre400() throws Exception {
        assertThat(f.run("run", "-dit", "--name", "detach-custom", bb, "cat").code()).isZero();
        try (Session s = new Session("POST /v1.47/containers/detach-custom/attach?stdin=1&stdout=1&stream=1&detachKeys=ctrl-x", null)) {
            assertThat(s.waitFor("101")).isTrue();
            s.send("\u0010\u0011x\n"); // the default keys are input now
            assertThat(s.waitFor("x")).isTrue();
            s.send("\u0018");
            assertThat(s.waitEof()).isTrue();
        }
        assertThat(running("detach-custom")).isEqualTo("true");
        try (Session s = new Session("POST /v1.47/containers/detach-custom/attach?stdin=1&stdout=1&stream=1&detachKeys=ctrl-1", null)) {
            assertThat(s.waitFor("Invalid detach keys")).as(s.text()).isTrue();
            assertThat(s.text()).startsWith("HTTP/1.1 400");
        }
        f.run("rm", "-f", "detach-custom");
    }

    @Test
    void attach_logsWithoutStream_toAnExitedContainer_replaysAndEnds() throws Exception {
        assertThat(f.run("run", "--name", "replay", bb, "sh", "-c", "echo out; echo err >&2").code()).isZero();
        try (Session s = new Session("POST /v1.47/containers/replay/attach?logs=1&stream=0&stdout=1&stderr=1", null)) {
            assertThat(s.waitEof()).as("ends without a start: " + s.text()).isTrue();
            // each in its stream's frame (the two writers' order in the log is theirs)
            assertThat(s.text()).startsWith("HTTP/1.1 101").contains("\u0001\0\0\0\0\0\0\u0004out\n")
                    .contains("\u0002\0\0\0\0\0\0\u0004err\n");
        }
        f.run("rm", "-f", "replay");
    }

    @Test
    void exec_detachKeys_endTheSession_theProcessRuns_andStartsTtyFrames() throws Exception {
        assertThat(f.run("run", "-d", "--name", "exec-detach", bb, "sleep", "600").code()).isZero();
        String create = f.run("exec", "exec-detach", "true").all(); // a live container answers exec
        assertThat(create).isEmpty();
        String id = execCreate("exec-detach", "{\"AttachStdin\":true,\"AttachStdout\":true,\"Tty\":true,\"Cmd\":[\"cat\"],\"DetachKeys\":\"ctrl-x\"}");
        try (Session s = new Session("POST /v1.47/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":true}")) {
            assertThat(s.waitFor("101")).isTrue();
            s.send("ping\n");
            assertThat(s.waitFor("ping")).isTrue();
            s.send("\u0018");
            assertThat(s.waitEof()).isTrue();
        }
        String inspect = get("/v1.47/exec/" + id + "/json");
        assertThat(inspect).contains("\"Running\":true").contains("\"DetachKeys\":\"ctrl-x\"");
        // framing follows the start request: Tty false there means stdcopy frames, whatever create said
        String id2 = execCreate("exec-detach", "{\"AttachStdout\":true,\"Tty\":true,\"Cmd\":[\"echo\",\"framed\"]}");
        try (Session s = new Session("POST /v1.47/exec/" + id2 + "/start", "{\"Detach\":false,\"Tty\":false}")) {
            assertThat(s.waitEof()).isTrue();
            int header = s.text().indexOf("\r\n\r\n") + 4;
            assertThat(s.text()).contains("framed");
            assertThat((int) s.text().charAt(header)).isEqualTo(1);
        }
        f.run("rm", "-f", "exec-detach");
    }

    @Test
    void exec_detachKeysSpelledAsDockerPySendsThem_aSingleKey_endTheSession() throws Exception {
        assertThat(f.run("run", "-d", "--name", "exec-detach-py", bb, "sleep", "600").code()).isZero();
        assertThat(f.run("exec", "exec-detach-py", "true").all()).isEmpty();
        // docker-py puts the config file's detachKeys in the body as "detachKeys": dockerd's decoding ignores the case
        String id = execCreate("exec-detach-py", "{\"AttachStdin\":true,\"AttachStdout\":true,\"Tty\":true,\"Cmd\":[\"cat\"],\"detachKeys\":\"ctrl-p\"}");
        try (Session s = new Session("POST /v1.47/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":true}")) {
            assertThat(s.waitFor("101")).isTrue();
            s.send("ping\n");
            assertThat(s.waitFor("ping")).isTrue();
            s.send("\u0010");
            assertThat(s.waitEof()).isTrue();
        }
        f.run("rm", "-f", "exec-detach-py");
    }

    private static String execCreate(String container, String body) throws Exception {
        String r = plain("POST /v1.47/containers/" + container + "/exec", body);
        assertThat(r).startsWith("HTTP/1.1 201");
        return r.replaceAll("(?s).*\"Id\":\"([0-9a-f]+)\".*", "$1");
    }

    private static String get(String path) throws Exception {
        return plain("GET " + path, null);
    }

    private static String plain(String request, String body) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(f.socket));
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = Channels.newOutputStream(ch);
            out.write((request + " HTTP/1.1\r\nHost: d\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                    + b.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
