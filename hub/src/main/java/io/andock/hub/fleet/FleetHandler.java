package io.andock.hub.fleet;

import io.andock.AndockException;
import io.andock.hub.OciError;
import io.andock.hub.auth.Access;
import io.andock.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The fleet's HTTP face, in front of the registry's handler: {@code POST /v2/_andock/fleet/poll?wait=SECONDS} (a
 * device's report in, the followed tags' digests out, see {@link Fleet#poll}), {@code GET /v2/_andock/fleet/devices}
 * (every device, JSON) and the status page at {@code /}. Everything else goes to the registry.
 */
public final class FleetHandler extends Handler.Wrapper {
    static final String POLL = "/v2/_andock/fleet/poll";
    static final String DEVICES = "/v2/_andock/fleet/devices";
    /** A report is a few hundred bytes per followed tag. */
    static final int MAX_REPORT = 256 * 1024;

    private final Fleet fleet;
    private final Access access;
    private final Duration maxWait;

    /**
     * @param access  the registry's sign-in: with one, a device polls only tags it may pull (Basic credentials, as
     *                for its pulls, or anonymous pulls), and the devices' list and page need a signed-in user
     * @param maxWait the longest a poll is held: below the connection's idle timeout
     */
    public FleetHandler(Fleet fleet, Access access, Duration maxWait, Handler registry) {
        super(registry);
        this.fleet = fleet;
        this.access = access;
        this.maxWait = maxWait;
    }

    @Override
    public boolean handle(Request req, Response resp, Callback cb) throws Exception {
        String path = req.getHttpURI().getPath();
        String method = req.getMethod();
        boolean page = "/".equals(path) && (method.equals("GET") || method.equals("HEAD"));
        if (!page && (path == null || !path.startsWith("/v2/_andock/fleet/"))) return super.handle(req, resp, cb);
        try {
            Access.Identity id = access.identify(req.getHeaders().get(HttpHeader.AUTHORIZATION));
            if (id.badCredentials()) throw unauthorized("incorrect username or password");
            if (page) {
                signedIn(id);
                reply(resp, cb, 200, "text/html; charset=utf-8", StatusPage.render(fleet.devices()).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(POLL) && method.equals("POST")) {
                poll(req, resp, cb, id);
            } else if (path.equals(DEVICES) && method.equals("GET")) {
                signedIn(id);
                reply(resp, cb, 200, "application/json", Json.writeBytes(Map.of("devices", fleet.devices())));
            } else {
                throw new OciError(404, "UNSUPPORTED", "no such fleet endpoint: " + method + " " + io.andock.hub.Names.Printable.of(path));
            }
        } catch (OciError e) {
            e.headers.forEach((k, v) -> resp.getHeaders().put(k, v));
            reply(resp, cb, e.status, "application/json", e.body().getBytes(StandardCharsets.UTF_8));
        } catch (AndockException e) {
            OciError o = new OciError(400, "UNSUPPORTED", e.getMessage());
            reply(resp, cb, 400, "application/json", o.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            cb.failed(e); // the device went away
        }
        return true;
    }

    private void signedIn(Access.Identity id) {
        if (access.enabled() && id.user() == null) throw unauthorized("authentication required");
    }

    private static OciError unauthorized(String why) {
        return new OciError(401, "UNAUTHORIZED", why).header("WWW-Authenticate", "Basic realm=\"andock hub\"");
    }

    private void poll(Request req, Response resp, Callback cb, Access.Identity id) throws IOException {
        Fields q = Request.extractQueryParameters(req, StandardCharsets.UTF_8);
        Duration wait = maxWait;
        String w = q.getValue("wait");
        if (w != null) {
            try {
                wait = Duration.ofSeconds(Math.max(0, Math.min(Long.parseLong(w), maxWait.toSeconds())));
            } catch (NumberFormatException e) {
                throw new OciError(400, "UNSUPPORTED", "wait must be a number of seconds");
            }
        }
        DeviceReport report = DeviceReport.parse(readBounded(Content.Source.asInputStream(req)));
        for (DeviceReport.Follow f : report.follows()) {
            if (access.allowed(id, f.repository(), "pull")) continue;
            if (id.user() == null) throw unauthorized("authentication required to follow " + f.ref());
            throw new OciError(403, "DENIED", "may not pull " + f.repository());
        }
        // held without a thread: the fleet's thread answers
        fleet.poll(report, remote(req), wait).whenComplete((tags, err) -> {
            if (err == null) reply(resp, cb, 200, "application/json", Json.writeBytes(Map.of("tags", tags)));
            else cb.failed(err);
        });
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_REPORT + 1);
        if (b.length > MAX_REPORT) throw new OciError(413, "SIZE_INVALID", "a device report is at most " + MAX_REPORT + " bytes");
        return b;
    }

    private static String remote(Request req) {
        try {
            return Request.getRemoteAddr(req);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static void reply(Response resp, Callback cb, int status, String type, byte[] body) {
        resp.setStatus(status);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        resp.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        resp.write(true, ByteBuffer.wrap(body), cb);
    }
}
