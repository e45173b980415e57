package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerInspector;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerStore;
import io.andock.container.Link;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Legacy links ({@code --link NAME[:ALIAS]}) made into what the linking container sees, as dockerd makes them:
 * a hosts line {@code ADDR ALIAS NAME} and the variables {@code ALIAS_PORT=tcp://ADDR:P} (the lowest exposed
 * port), {@code ALIAS_PORT_P_PROTO[_ADDR|_PORT|_PROTO]}, {@code ALIAS_NAME=/self/alias} and {@code ALIAS_ENV_K=V}
 * for the linked container's environment ({@code HOME} and {@code PATH} left out). Taken at create: the linked
 * container must exist, and on a bridge be running (dockerd asks that at start); on the host's network (proot,
 * chroot, {@code --network host}) its address is 127.0.0.1.
 *
 * @param env   the variables, for the process's environment (not {@code Config.Env}, as dockerd)
 * @param hosts the hosts lines
 */
record LinkedContainers(List<String> env, List<String> hosts) {
    static final LinkedContainers NONE = new LinkedContainers(List.of(), List.of());

    static LinkedContainers of(ContainerStore store, ContainerNetworks networks, ContainerSpec spec, String self, boolean hostNetwork) {
        if (spec.links().isEmpty()) return NONE;
        List<String> env = new ArrayList<>(), hosts = new ArrayList<>();
        for (String s : spec.links()) {
            Link link = Link.parse(s);
            String id;
            try {
                id = store.resolve(link.name());
            } catch (AndockException e) {
                throw AndockException.notFound("could not get container for " + link.name() + ": " + e.getMessage());
            }
            ContainerRecord child = store.record(id);
            String address = hostNetwork ? "127.0.0.1" : address(networks.settings(store.dir(id), child));
            if (address.isEmpty()) {
                throw AndockException.invalid("Cannot link to a non running container: /" + child.name() + " AS /" + self + "/" + link.alias());
            }
            hosts.add(address + "\t" + link.alias() + (link.alias().equals(child.name()) ? "" : " " + child.name()));
            env.addAll(variables(link, self, address, ports(child),
                    ContainerInspector.configEnv(child.spec().env(), child.imageConfig().strings("Env"))));
        }
        return new LinkedContainers(env, hosts);
    }

    private static String address(Map<String, Object> settings) {
        return settings.get("IPAddress") instanceof String a ? a : "";
    }

    /** The exposed ports ({@code 80/tcp}), lowest first (tcp before udp on one number), as dockerd sorts them. */
    static List<String> ports(ContainerRecord r) {
        List<String> ports = new ArrayList<>(ContainerInspector.ports(r).keySet());
        ports.sort(Comparator.comparingInt((String p) -> Integer.parseInt(p.substring(0, p.indexOf('/'))))
                .thenComparing(p -> p.endsWith("/tcp") ? 0 : 1));
        return ports;
    }

    static List<String> variables(Link link, String self, String address, List<String> ports, List<String> childEnv) {
        String a = link.envPrefix();
        List<String> out = new ArrayList<>();
        if (!ports.isEmpty()) {
            String first = ports.get(0);
            out.add(a + "_PORT=" + proto(first) + "://" + address + ":" + number(first));
        }
        for (String p : ports) {
            String key = a + "_PORT_" + number(p) + "_" + proto(p).toUpperCase(java.util.Locale.ROOT);
            out.add(key + "=" + proto(p) + "://" + address + ":" + number(p));
            out.add(key + "_ADDR=" + address);
            out.add(key + "_PORT=" + number(p));
            out.add(key + "_PROTO=" + proto(p));
        }
        out.add(a + "_NAME=/" + self + "/" + link.alias());
        for (String e : childEnv) {
            int eq = e.indexOf('=');
            if (eq <= 0) continue;
            String k = e.substring(0, eq);
            if (k.equals("HOME") || k.equals("PATH")) continue;
            out.add(a + "_ENV_" + k + "=" + e.substring(eq + 1));
        }
        return out;
    }

    private static String number(String port) {
        return port.substring(0, port.indexOf('/'));
    }

    private static String proto(String port) {
        return port.substring(port.indexOf('/') + 1);
    }
}
