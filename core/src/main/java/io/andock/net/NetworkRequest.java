package io.andock.net;

import java.util.Map;

/**
 * What {@code network create} asks for. Empty strings mean "not given": the subnet is then chosen, the gateway
 * is the subnet's first address, the whole subnet is the range.
 */
public record NetworkRequest(String name, String subnet, String gateway, String ipRange, boolean internal,
                             boolean attachable, Map<String, String> labels, Map<String, String> options,
                             Map<String, String> auxAddresses) {
    /** A request with no {@code --aux-address}. */
    public NetworkRequest(String name, String subnet, String gateway, String ipRange, boolean internal,
                          boolean attachable, Map<String, String> labels, Map<String, String> options) {
        this(name, subnet, gateway, ipRange, internal, attachable, labels, options, Map.of());
    }

    public NetworkRequest {
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
        subnet = subnet == null ? "" : subnet;
        gateway = gateway == null ? "" : gateway;
        ipRange = ipRange == null ? "" : ipRange;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
