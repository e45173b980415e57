package io.andock.net;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.StoreNames;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's wish to be on a user network ({@code --network NAME --network-alias A --ip X}, the API's
 * {@code NetworkingConfig.EndpointsConfig}, {@code network connect}): kept in its directory's
 * {@code endpoints.json}, read at every start. The container's {@code NetworkMode}, when a user network, is its
 * first endpoint even when this file does not name it.
 *
 * @param network     the network's name
 * @param aliases     more names the container's peers resolve to it (bounded: 64 of Docker's name pattern)
 * @param ipv4Address the fixed address asked for, "" for one from the network's range
 */
public record Endpoint(String network, List<String> aliases, String ipv4Address) {
    static final int MAX_ALIASES = 64;

    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(aliases));
        ipv4Address = ipv4Address == null ? "" : ipv4Address;
        if (aliases.size() > MAX_ALIASES) throw AndockException.invalid("at most " + MAX_ALIASES + " network aliases");
        for (String a : aliases) {
            if (!StoreNames.isName(a) && !(a.length() == 1 && Character.isLetterOrDigit(a.charAt(0)))) {
                throw AndockException.invalid("invalid network alias \"" + StoreNames.printable(a) + "\"");
            }
        }
        if (!ipv4Address.isEmpty()) Ipv4.parse(ipv4Address, "IPv4 address");
    }

    static Path file(ContainerDir dir) {
        return dir.path().resolve("endpoints.json");
    }

    /** The container's endpoints in order (the first is its primary network's), empty when it has none. */
    static List<Endpoint> read(ContainerDir dir) {
        List<Endpoint> out = new ArrayList<>();
        try {
            JsonObject o = JsonObject.parse(Files.readAllBytes(file(dir)));
            for (JsonObject e : o.objects("Endpoints")) {
                out.add(new Endpoint(e.string("Network"), e.strings("Aliases"), e.string("IPv4Address", "")));
            }
        } catch (IOException | RuntimeException e) {
            // none recorded
        }
        return out;
    }

    /**
     * Whether the container was taken off its primary network while stopped ({@code network disconnect}; compose
     * 1.29 does so and connects again with aliases): it then starts without that network.
     */
    static boolean primaryDetached(ContainerDir dir) {
        try {
            return JsonObject.parse(Files.readAllBytes(file(dir))).bool("PrimaryDetached");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void write(ContainerDir dir, List<Endpoint> endpoints) {
        write(dir, endpoints, false);
    }

    static void write(ContainerDir dir, List<Endpoint> endpoints, boolean primaryDetached) {
        List<Object> list = new ArrayList<>();
        for (Endpoint e : endpoints) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Network", e.network());
            m.put("Aliases", e.aliases());
            m.put("IPv4Address", e.ipv4Address());
            list.add(m);
        }
        try {
            Path tmp = file(dir).resolveSibling("endpoints.json.tmp");
            Files.write(tmp, Json.writeBytes(Map.of("Endpoints", list, "PrimaryDetached", primaryDetached)));
            Files.move(tmp, file(dir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("record the networks of " + dir.path().getFileName(), e);
        }
    }
}
