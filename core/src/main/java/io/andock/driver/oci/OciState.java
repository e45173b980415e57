package io.andock.driver.oci;

import io.andock.json.JsonObject;

/**
 * What {@code runc state ID} says about a container.
 *
 * @param status {@code creating}, {@code created}, {@code running}, {@code paused} or {@code stopped}
 * @param pid    its init process on the host (0 when stopped)
 */
public record OciState(String id, String status, long pid, String bundle) {

    static OciState parse(byte[] json) {
        JsonObject o = JsonObject.parse(json);
        return new OciState(o.string("id", ""), o.string("status", ""), o.number("pid", 0), o.string("bundle", ""));
    }

    public boolean running() {
        return status.equals("running") || status.equals("paused");
    }
}
