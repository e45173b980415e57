package io.andock.net;

import java.util.Map;

/**
 * What {@code network create} asks for. Empty strings mean "not given": the subnet is then chosen, the gateway
 * is the subnet's first address, the whole subnet is the range.
 */
public record NetworkRequest(String name, String subnet, String gateway, String ipRange, boolean internal,
                             boolean attachable, Map<String, String> labels, Map<String, String> options) {
    public NetworkRequest {
        subnet = subnet == null ? "" : subnet;
        gateway = gateway == null ? "" : gateway;
        ipRange = ipRange == null ? "" : ipRange;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
