package io.andock.driver.oci;

import java.util.LinkedHashMap;
import java.util.Map;

/** One line of a user namespace's uid or gid map: ids {@code containerId..+size} are {@code hostId..+size} outside. */
public record IdMapping(long containerId, long hostId, long size) {

    public IdMapping {
        if (containerId < 0 || hostId < 0 || size <= 0) {
            throw io.andock.AndockException.invalid("bad id mapping " + containerId + ":" + hostId + ":" + size);
        }
    }

    /** The spec's form: {@code {"containerID": 0, "hostID": 1000, "size": 1}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("containerID", containerId);
        m.put("hostID", hostId);
        m.put("size", size);
        return m;
    }
}
