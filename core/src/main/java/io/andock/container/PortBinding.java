package io.andock.container;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One published port, {@code -p [ip:][hostPort:]containerPort[/tcp|udp]}.
 *
 * @param hostIp        address to listen on, "" for all
 * @param hostPort      0 when not given (Docker then picks a free port)
 * @param containerPort the port inside the container
 * @param protocol      {@code tcp} or {@code udp}
 */
public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) implements JsonWritable {

    public PortBinding {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        // checked here, not only in parse: the API builds bindings from its JSON body directly
        if (containerPort < 1 || containerPort > 65535) throw AndockException.invalid("invalid containerPort: " + containerPort);
        if (hostPort < 0 || hostPort > 65535) throw AndockException.invalid("invalid hostPort: " + hostPort);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) throw AndockException.invalid("invalid proto: " + protocol);
        if (!hostIp.isEmpty() && !hostIp.matches("[0-9a-fA-F.:]+")) throw AndockException.invalid("invalid IP address: " + hostIp);
    }

    /** Parses Docker's {@code -p} syntax; the errors are Docker's ({@code invalid containerPort: x}). */
    public static PortBinding parse(String s) {
        if (s == null || s.isBlank()) throw AndockException.invalid("invalid publish spec: empty");
        String rest = s;
        String proto = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            proto = rest.substring(slash + 1).toLowerCase();
            rest = rest.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp")) throw AndockException.invalid("invalid proto: " + proto);
        }
        String ip = "";
        String hostPort = "";
        String containerPort;
        if (rest.startsWith("[")) { // [::1]:80:80
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw AndockException.invalid("invalid publish spec: " + s);
            }
            ip = rest.substring(1, close);
            rest = rest.substring(close + 2);
            int c = rest.indexOf(':');
            if (c < 0) throw AndockException.invalid("invalid publish spec: " + s);
            hostPort = rest.substring(0, c);
            containerPort = rest.substring(c + 1);
        } else {
            String[] p = rest.split(":", -1);
            switch (p.length) {
                case 1 -> containerPort = p[0];
                case 2 -> { hostPort = p[0]; containerPort = p[1]; }
                case 3 -> { ip = p[0]; hostPort = p[1]; containerPort = p[2]; }
                default -> throw AndockException.invalid("invalid publish spec: " + s);
            }
        }
        int cp = port(containerPort, "containerPort");
        int hp = hostPort.isEmpty() ? 0 : port(hostPort, "hostPort");
        if (!ip.isEmpty() && !ip.matches("[0-9a-fA-F.:]+")) throw AndockException.invalid("invalid IP address: " + ip);
        return new PortBinding(ip, hp, cp, proto);
    }

    private static int port(String s, String what) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 65535) return n;
        } catch (NumberFormatException ignored) {
            // falls through to the error
        }
        throw AndockException.invalid("invalid " + what + ": " + s);
    }

    /** {@code 8080/tcp}, the key Docker uses in ExposedPorts and NetworkSettings.Ports. */
    public String key() {
        return containerPort + "/" + protocol;
    }

    /** As {@code docker ps} shows it: {@code 0.0.0.0:8080->80/tcp}. */
    public String display() {
        String ip = hostIp.isEmpty() ? "0.0.0.0" : hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
        return ip + ":" + hostPort + "->" + key();
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("HostIp", hostIp);
        m.put("HostPort", hostPort == 0 ? "" : Integer.toString(hostPort));
        m.put("ContainerPort", (long) containerPort);
        m.put("Protocol", protocol);
        return m;
    }

    public static PortBinding fromJson(JsonObject o) {
        String hp = o.string("HostPort", "");
        return new PortBinding(o.string("HostIp", ""), hp.isEmpty() ? 0 : Integer.parseInt(hp),
                (int) o.number("ContainerPort", 0), o.string("Protocol", "tcp"));
    }
}
