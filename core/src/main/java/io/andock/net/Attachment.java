package io.andock.net;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
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
 * A running container's place on a user network: {@code net/ep-<ifname>.json} while it is attached (the
 * container's network teardown removes it). Inspect's {@code NetworkSettings.Networks} and its peers' hosts
 * files ({@link PeerHosts}) are made of these.
 *
 * @param ifname  {@code eth0}… in the container's namespace; {@code lo} on the host's network (proot, chroot)
 * @param address the container's IPv4 address there ({@code 127.0.0.1} on the host's network)
 * @param names   what its peers resolve to it: its name, aliases and short id
 */
record Attachment(String networkId, String network, String ifname, String address, int prefixLen, String gateway,
                  String mac, List<String> aliases, List<String> names) {

    Attachment {
        aliases = List.copyOf(aliases);
        names = List.copyOf(names);
    }

    static Path file(ContainerDir dir, String ifname) {
        return dir.net().resolve("ep-" + ifname + ".json");
    }

    static List<Attachment> read(ContainerDir dir) {
        List<Attachment> out = new ArrayList<>();
        try (var ds = Files.list(dir.net())) {
            for (Path f : (Iterable<Path>) ds::iterator) {
                String n = f.getFileName().toString();
                if (!n.startsWith("ep-") || !n.endsWith(".json")) continue;
                try {
                    JsonObject o = JsonObject.parse(Files.readAllBytes(f));
                    out.add(new Attachment(o.string("NetworkID"), o.string("Network"), o.string("Interface"),
                            o.string("IPAddress"), (int) o.number("IPPrefixLen", 0), o.string("Gateway", ""),
                            o.string("MacAddress", ""), o.strings("Aliases"), o.strings("Names")));
                } catch (IOException | RuntimeException torn) {
                    // being written or removed
                }
            }
        } catch (IOException e) {
            // not attached
        }
        out.sort(java.util.Comparator.comparing(Attachment::ifname));
        return out;
    }

    void write(ContainerDir dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("NetworkID", networkId);
        m.put("Network", network);
        m.put("Interface", ifname);
        m.put("IPAddress", address);
        m.put("IPPrefixLen", (long) prefixLen);
        m.put("Gateway", gateway);
        m.put("MacAddress", mac);
        m.put("Aliases", aliases);
        m.put("Names", names);
        try {
            Files.createDirectories(dir.net());
            Path tmp = dir.net().resolve("ep-" + ifname + ".json.tmp");
            Files.write(tmp, Json.writeBytes(m));
            Files.move(tmp, file(dir, ifname), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("record the network " + network + " of " + dir.path().getFileName(), e);
        }
    }
}
