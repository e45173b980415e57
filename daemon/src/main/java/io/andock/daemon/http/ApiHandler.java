package io.andock.daemon.http;

import io.andock.AndockException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jetty side: strips {@code /vX.Y}, checks the version, routes, and turns what a handler throws into
 * Docker's {@code {"message": …}} replies. Blocking handlers run on Jetty's (bounded) pool; long sessions
 * (attach, exec) move to {@link Exchange#sessions()}.
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger("andock.api");
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");
    private static final boolean TRACE = Boolean.getBoolean("andock.api.trace");
    private final Router router;
    private final Executor sessions;
    private final Runnable onRequest;

    /** {@code onRequest} runs first for every request (the daemon's idle tracking). */
    public ApiHandler(Router router, Executor sessions, Runnable onRequest) {
        super(InvocationType.BLOCKING);
        this.router = router;
        this.sessions = sessions;
        this.onRequest = onRequest;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        onRequest.run();
        String raw = request.getHttpURI().getPath();
        String encoded = raw == null ? "/" : raw;
        String version = null;
        Matcher m = VERSIONED.matcher(encoded);
        if (m.matches()) {
            version = m.group(1);
            encoded = m.group(2);
        }
        String path;
        try {
            path = Router.decode(encoded);
        } catch (ApiException e) {
            path = encoded; // router.match below refuses it with a 400
        }
        long t0 = TRACE ? System.nanoTime() : 0;
        if (TRACE) System.err.println("andock-api: " + request.getMethod() + " " + request.getHttpURI().getPathQuery());
        Exchange x = new Exchange(request, response, callback, path, version, sessions);
        Throwable failure = null;
        try {
            if (version != null && ApiVersions.compare(version, ApiVersions.MINIMUM) < 0) {
                throw ApiException.badRequest("client version " + version + " is too old. Minimum supported API version is "
                        + ApiVersions.MINIMUM + ", please upgrade your client to a newer version");
            }
            boolean[] wrongMethod = {false};
            Router.Match match = router.match(request.getMethod(), encoded, wrongMethod);
            if (match == null) {
                if (wrongMethod[0]) throw new ApiException(405, "method " + request.getMethod() + " not allowed for " + path);
                throw new ApiException(404, "page not found");
            }
            x.params(match.params());
            match.route().handle(x);
        } catch (Throwable t) {
            failure = t;
            if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
                LOG.log(Level.FINE, request.getMethod() + " " + path + ": client went away: " + t);
            } else if (!(t instanceof AndockException) && !(t instanceof ApiException)) {
                LOG.log(Level.WARNING, request.getMethod() + " " + path + ": " + t, t);
            }
        }
        try {
            x.complete(failure);
        } catch (Throwable t) {
            LOG.log(Level.FINE, "complete " + path, t);
        }
        if (TRACE) System.err.printf("andock-api: %s %s handled in %.1f ms%n", request.getMethod(), path, (System.nanoTime() - t0) / 1e6);
        return true;
    }
}
