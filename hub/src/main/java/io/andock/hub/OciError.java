package io.andock.hub;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answered in the distribution spec's form: {@code {"errors":[{"code","message","detail"}]}}. */
public final class OciError extends RuntimeException {
    public final int status;
    public final String code;
    public final Map<String, String> headers = new LinkedHashMap<>();

    public OciError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public OciError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public static OciError blobUnknown(String what) {
        return new OciError(404, "BLOB_UNKNOWN", "blob unknown to registry: " + what);
    }

    public static OciError manifestUnknown(String what) {
        return new OciError(404, "MANIFEST_UNKNOWN", "manifest unknown: " + what);
    }

    public static OciError nameUnknown(String name) {
        return new OciError(404, "NAME_UNKNOWN", "repository name not known to registry: " + name);
    }

    public static OciError nameInvalid(String why) {
        return new OciError(400, "NAME_INVALID", "invalid repository name: " + why);
    }

    public static OciError digestInvalid(String why) {
        return new OciError(400, "DIGEST_INVALID", "provided digest did not match uploaded content: " + why);
    }

    public static OciError uploadUnknown(String id) {
        return new OciError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry: " + id);
    }

    public static OciError uploadInvalid(String why) {
        return new OciError(400, "BLOB_UPLOAD_INVALID", "blob upload invalid: " + why);
    }

    public static OciError manifestInvalid(String why) {
        return new OciError(400, "MANIFEST_INVALID", "manifest invalid: " + why);
    }

    public static OciError sizeInvalid(int status, String why) {
        return new OciError(status, "SIZE_INVALID", "provided length did not match content length: " + why);
    }

    public static OciError unsupported(String why) {
        return new OciError(405, "UNSUPPORTED", "the operation is unsupported: " + why);
    }

    public static OciError denied(String why) {
        return new OciError(403, "DENIED", "requested access to the resource is denied: " + why);
    }

    /** The error body, JSON with the message escaped. */
    public String body() {
        StringBuilder b = new StringBuilder("{\"errors\":[{\"code\":");
        io.andock.json.Json.quote(b, code);
        b.append(",\"message\":");
        io.andock.json.Json.quote(b, getMessage());
        b.append("}]}");
        return b.toString();
    }
}
