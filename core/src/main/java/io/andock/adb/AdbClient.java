package io.andock.adb;

import io.andock.AndockException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the adb server's smart-socket protocol (AOSP {@code packages/modules/adb/SERVICES.TXT},
 * {@code SYNC.TXT}): each request is a 4-hex-digit length and a service name on a new connection, answered
 * {@code OKAY} or {@code FAIL} with a length-prefixed message; {@code host:transport:SERIAL} turns the connection
 * into a stream to that device's service. Every connect and read is bounded ({@link #CONNECT_MS}, {@link #READ_MS});
 * every length from the server is bounded by {@link #MAX_REPLY}.
 */
public final class AdbClient {
    static final int CONNECT_MS = 5_000;
    static final int READ_MS = 60_000;
    static final int MAX_REPLY = 1 << 20;
    private static final int SYNC_CHUNK = 64 * 1024;

    private final String host;
    private final int port;

    public AdbClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The local adb server: port {@code ANDROID_ADB_SERVER_PORT} if set, else 5037. */
    public static AdbClient local() {
        String p = System.getenv("ANDROID_ADB_SERVER_PORT");
        int port = 5037;
        if (p != null && p.matches("[0-9]{1,5}") && Integer.parseInt(p) > 0 && Integer.parseInt(p) < 65536) {
            port = Integer.parseInt(p);
        }
        return new AdbClient("127.0.0.1", port);
    }

    public String address() {
        return host + ":" + port;
    }

    /** A device as {@code host:devices-l} lists it. */
    public record Device(String serial, String state, String description) {
    }

    public List<Device> devices() {
        try (Socket s = request("host:devices-l")) {
            String text = readLengthPrefixed(new DataInputStream(s.getInputStream()));
            List<Device> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                String[] f = line.strip().split("\\s+", 3);
                if (f.length >= 2) out.add(new Device(f[0], f[1], f.length == 3 ? f[2] : ""));
            }
            return out;
        } catch (IOException e) {
            throw failed("list devices", e);
        }
    }

    /** What a shell command printed (stdout and stderr together, at most 1 MiB) and its exit status. */
    public record ShellResult(int exitCode, String output) {
    }

    /**
     * Runs {@code command} with the device's {@code sh} as adb shell's user. The exit status travels on the last
     * line (the plain {@code shell:} service has no other channel for it; every adbd has that service).
     */
    public ShellResult shell(String serial, String command) {
        String marker = "andock-exit:";
        try (Socket s = transport(serial)) {
            send(s, "shell:" + command + "; echo; echo " + marker + "$?");
            String out = new String(readBounded(s.getInputStream()), StandardCharsets.UTF_8);
            int at = out.lastIndexOf(marker);
            if (at < 0) throw unavailable("adb shell on " + serial + ": no exit status (output cut?)");
            int code = Integer.parseInt(out.substring(at + marker.length()).strip().replaceAll("[^0-9].*", "0"));
            String body = out.substring(0, at);
            if (body.endsWith("\n")) body = body.substring(0, body.length() - 1);
            return new ShellResult(code, body.replace("\r\n", "\n"));
        } catch (IOException e) {
            throw failed("adb shell on " + serial, e);
        }
    }

    /** Copies {@code local} to {@code remote} on the device (sync SEND), mode 0644. */
    public void push(String serial, Path local, String remote) {
        try (Socket s = transport(serial); InputStream in = Files.newInputStream(local)) {
            send(s, "sync:");
            OutputStream out = s.getOutputStream();
            // the mode is st_mode in decimal: a regular file, rw-r--r--
            byte[] target = (remote + "," + 0100644).getBytes(StandardCharsets.UTF_8);
            out.write(syncHeader("SEND", target.length));
            out.write(target);
            byte[] buf = new byte[SYNC_CHUNK];
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                out.write(syncHeader("DATA", n));
                out.write(buf, 0, n);
            }
            out.write(syncHeader("DONE", (int) (Files.getLastModifiedTime(local).toMillis() / 1000)));
            out.flush();
            DataInputStream din = new DataInputStream(s.getInputStream());
            byte[] id = new byte[4];
            din.readFully(id);
            int len = Integer.reverseBytes(din.readInt());
            String status = new String(id, StandardCharsets.US_ASCII);
            if (status.equals("FAIL")) {
                if (len < 0 || len > MAX_REPLY) throw new IOException("bad FAIL length " + len);
                byte[] msg = new byte[len];
                din.readFully(msg);
                throw unavailable("adb push to " + serial + ":" + remote + ": " + new String(msg, StandardCharsets.UTF_8));
            }
            if (!status.equals("OKAY")) throw new IOException("unexpected sync reply " + status);
            out.write(syncHeader("QUIT", 0));
        } catch (IOException e) {
            throw failed("adb push to " + serial + ":" + remote, e);
        }
    }

    /** {@code adb -s SERIAL forward LOCAL REMOTE} (e.g. {@code tcp:2375}). */
    public void forward(String serial, String local, String remote) {
        try (Socket s = request("host-serial:" + serial + ":forward:" + local + ";" + remote)) {
            readStatus(new DataInputStream(s.getInputStream()), "forward");   // the second OKAY: the forward is set
        } catch (IOException e) {
            throw failed("adb forward " + local + " " + remote, e);
        }
    }

    /** A connection to {@code serial}'s services. */
    private Socket transport(String serial) throws IOException {
        return request("host:transport:" + serial);
    }

    private Socket request(String service) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), CONNECT_MS);
        } catch (IOException e) {
            s.close();
            throw unavailable("no adb server at " + address() + " (" + e.getMessage()
                    + "); start it with: adb start-server");
        }
        s.setSoTimeout(READ_MS);
        try {
            send(s, service);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void send(Socket s, String service) throws IOException {
        byte[] b = service.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) throw AndockException.invalid("adb request too long (" + b.length + " bytes)");
        s.getOutputStream().write((String.format("%04x", b.length) + service).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        readStatus(new DataInputStream(s.getInputStream()), service.replaceAll(":.*", ""));
    }

    private static void readStatus(DataInputStream in, String what) throws IOException {
        byte[] st = new byte[4];
        in.readFully(st);
        String status = new String(st, StandardCharsets.US_ASCII);
        if (status.equals("OKAY")) return;
        if (status.equals("FAIL")) throw unavailable("adb server: " + readLengthPrefixed(in));
        throw new IOException("adb server answered " + what + " with \"" + status.replaceAll("[^ -~]", "?") + "\"");
    }

    private static String readLengthPrefixed(DataInputStream in) throws IOException {
        byte[] hex = new byte[4];
        in.readFully(hex);
        int len;
        try {
            len = Integer.parseInt(new String(hex, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad length from the adb server");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_REPLY + 1);
        if (b.length > MAX_REPLY) throw new IOException("more than " + MAX_REPLY + " bytes of output");
        return b;
    }

    private static byte[] syncHeader(String id, int value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put(id.getBytes(StandardCharsets.US_ASCII)).putInt(value).array();
    }

    static AndockException unavailable(String message) {
        return new AndockException(AndockException.Kind.UNAVAILABLE, message);
    }

    private static AndockException failed(String what, IOException e) {
        String m = e instanceof EOFException ? "the adb server closed the connection" : e.getMessage();
        return unavailable(what + ": " + m);
    }
}
