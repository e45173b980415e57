package io.andock.net;

import io.andock.AndockException;
import io.andock.container.StoreNames;
import io.andock.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user-defined bridge network ({@code docker network create}): its own Linux bridge and IPv4 subnet, kept in
 * the root's {@code networks/<id>.json} ({@link NetworkStore}). Containers of that root on it reach each other by
 * address, name and alias ({@link PeerHosts}); an {@code internal} one has no gateway and no route out.
 *
 * @param subnet  IPv4 CIDR, always set (chosen free of the host's routes when the user gave none)
 * @param gateway the bridge's address in the subnet, "" for an internal network
 * @param ipRange the CIDR containers' addresses are taken from ({@code --ip-range}), "" for the whole subnet
 * @param created RFC 3339
 * @param auxAddresses {@code --aux-address NAME=IP}: addresses of the subnet kept from containers (devices the
 *                     network already has), by name
 */
public record UserNetwork(String id, String name, String subnet, String gateway, String ipRange, boolean internal,
                         boolean attachable, Map<String, String> labels, Map<String, String> options, String created,
                         Map<String, String> auxAddresses) {

    public UserNetwork {
        if (!StoreNames.isId(id)) throw AndockException.invalid("invalid network id " + StoreNames.printable(id));
        validateName(name);
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
    }

    /** A network with no auxiliary addresses. */
    public UserNetwork(String id, String name, String subnet, String gateway, String ipRange, boolean internal,
                       boolean attachable, Map<String, String> labels, Map<String, String> options, String created) {
        this(id, name, subnet, gateway, ipRange, internal, attachable, labels, options, created, Map.of());
    }

    /** Docker's pattern for names, bounded: a name is looked up, never a path ({@link NetworkStore} files by id). */
    public static String validateName(String name) {
        if (name == null || !StoreNames.isNetworkName(name)) {
            throw AndockException.invalid("invalid network name \"" + StoreNames.printable(String.valueOf(name))
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9 _.-] are allowed, at most 255 characters");
        }
        if (java.util.List.of("bridge", "host", "none", "default").contains(name)) {
            throw AndockException.invalid("operation is not permitted on predefined " + name + " network");
        }
        return name;
    }

    /** The Linux bridge: {@code andock-} and the id's first 8 hex digits (15 characters, the kernel's limit). */
    public String bridge() {
        return "andock-" + id.substring(0, 8);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", id);
        m.put("Name", name);
        m.put("Subnet", subnet);
        m.put("Gateway", gateway);
        m.put("IPRange", ipRange);
        m.put("Internal", internal);
        m.put("Attachable", attachable);
        m.put("Labels", labels);
        m.put("Options", options);
        m.put("Created", created);
        if (!auxAddresses.isEmpty()) m.put("AuxiliaryAddresses", new java.util.TreeMap<>(auxAddresses));
        return m;
    }

    static UserNetwork fromJson(JsonObject o) {
        return new UserNetwork(o.string("Id"), o.string("Name"), o.string("Subnet"), o.string("Gateway", ""),
                o.string("IPRange", ""), o.bool("Internal"), o.bool("Attachable"), o.stringMap("Labels"),
                o.stringMap("Options"), o.string("Created", ""), o.stringMap("AuxiliaryAddresses"));
    }
}
