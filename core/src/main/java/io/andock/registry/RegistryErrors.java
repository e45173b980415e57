package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Registry answers and I/O failures as {@link AndockException}s with one clear line. The registry's error body
 * ({@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}}) gives kind and message; without
 * one the status decides.
 */
final class RegistryErrors {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private RegistryErrors() {
    }

    /**
     * The error for a response that is not a success; reads (a bounded part of) its body and closes it.
     *
     * @param denied what to say when access is refused, e.g. {@code pull access denied for host/repo}
     */
    static AndockException of(HttpResponse<InputStream> r, String denied) {
        byte[] body = readQuietly(r.body());
        return of(r.statusCode(), body, denied);
    }

    static AndockException of(int status, byte[] body, String denied) {
        List<String> codes = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        try {
            for (JsonObject e : JsonObject.parse(body).objects("errors")) {
                String code = e.string("code", "");
                codes.add(code.toUpperCase(Locale.ROOT));
                String m = e.string("message", "");
                messages.add(m.isEmpty() ? code.toLowerCase(Locale.ROOT).replace('_', ' ') : m);
            }
        } catch (RuntimeException notJson) {
            // plain-text or empty body: the status decides
        }
        String code = codes.isEmpty() ? "" : codes.get(0);
        String message = messages.isEmpty() ? statusText(status) : String.join("; ", messages);
        Kind kind = kind(code, status);
        if (kind == Kind.UNAUTHORIZED) {
            return new AndockException(kind, denied + ", repository does not exist or may require 'andock login': " + message);
        }
        return new AndockException(kind, message);
    }

    /** The error codes of a registry error body, upper case, in order; empty when it is not one. */
    static List<String> codes(byte[] body) {
        List<String> codes = new ArrayList<>();
        try {
            for (JsonObject e : JsonObject.parse(body).objects("errors")) codes.add(e.string("code", "").toUpperCase(Locale.ROOT));
        } catch (RuntimeException notJson) {
            // not a registry error body
        }
        return codes;
    }

    private static Kind kind(String code, int status) {
        switch (code) {
            case "MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN", "MANIFEST_BLOB_UNKNOWN":
                return Kind.NOT_FOUND;
            case "UNAUTHORIZED", "DENIED":
                return Kind.UNAUTHORIZED;
            case "TOOMANYREQUESTS":
                return Kind.UNAVAILABLE;
            case "UNSUPPORTED":
                return Kind.UNSUPPORTED;
            case "NAME_INVALID", "TAG_INVALID", "MANIFEST_INVALID", "MANIFEST_UNVERIFIED", "DIGEST_INVALID",
                 "SIZE_INVALID", "BLOB_UPLOAD_INVALID", "RANGE_INVALID", "PAGINATION_NUMBER_INVALID":
                return Kind.INVALID_ARGUMENT;
            default:
                break;
        }
        if (status == 401 || status == 403) return Kind.UNAUTHORIZED;
        if (status == 404) return Kind.NOT_FOUND;
        if (status == 429 || status >= 500) return Kind.UNAVAILABLE;
        return Kind.INVALID_ARGUMENT;
    }

    private static String statusText(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "denied";
            case 404 -> "not found";
            case 429 -> "too many requests";
            case 500 -> "internal server error (HTTP 500)";
            case 502 -> "bad gateway (HTTP 502)";
            case 503 -> "service unavailable (HTTP 503)";
            case 504 -> "gateway timeout (HTTP 504)";
            default -> "unexpected HTTP status " + status;
        };
    }

    /** A failure without an HTTP answer, naming the host: {@code cannot connect to 127.0.0.1:1: connection refused}. */
    static AndockException io(String host, IOException e) {
        String why;
        if (e instanceof ConnectException) {
            why = "cannot connect to " + host + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage().toLowerCase(Locale.ROOT));
        } else if (e instanceof HttpConnectTimeoutException) {
            why = "cannot connect to " + host + ": timed out";
        } else if (e instanceof IdleTimeoutInputStream.ReadTimeout) {
            why = e.getMessage();
        } else if (e instanceof HttpTimeoutException) {
            why = host + ": no answer in time";
        } else if (e instanceof UnknownHostException) {
            why = "cannot resolve " + host;
        } else if (e instanceof javax.net.ssl.SSLException) {
            why = host + ": TLS failed: " + e.getMessage();
        } else {
            why = host + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new AndockException(Kind.UNAVAILABLE, why, e);
    }

    /** Reads a small body to the end (so the connection can be reused) or gives up on it; never throws. */
    static byte[] readQuietly(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
