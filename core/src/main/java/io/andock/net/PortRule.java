package io.andock.net;

import io.andock.AndockException;

import java.net.InetSocketAddress;

/**
 * One forwarding rule of the userspace proxy: {@code proto} traffic to {@code listenIp:listenPort} on the host goes
 * to {@code targetIp:targetPort}. Written on the proxy's command line as {@code tcp,0.0.0.0,8080,10.88.0.2,80}.
 *
 * @param listenIp "" or {@code 0.0.0.0} for every address
 */
public record PortRule(String proto, String listenIp, int listenPort, String targetIp, int targetPort) {

    public PortRule {
        if (!proto.equals("tcp") && !proto.equals("udp")) throw AndockException.invalid("invalid proto: " + proto);
        listenIp = listenIp == null || listenIp.isEmpty() ? "0.0.0.0" : listenIp;
    }

    public static PortRule parse(String arg) {
        String[] f = arg.split(",", -1);
        if (f.length != 5) throw AndockException.invalid("bad proxy rule: " + arg);
        return new PortRule(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]));
    }

    public String arg() {
        return proto + "," + listenIp + "," + listenPort + "," + targetIp + "," + targetPort;
    }

    public InetSocketAddress listen() {
        return new InetSocketAddress(listenIp, listenPort);
    }

    public InetSocketAddress target() {
        return new InetSocketAddress(targetIp, targetPort);
    }

    /** Docker's words for a taken port: {@code Bind for 0.0.0.0:8080 failed: port is already allocated}. */
    public static String allocatedMessage(String ip, int port) {
        String host = ip == null || ip.isEmpty() ? "0.0.0.0" : ip.contains(":") ? "[" + ip + "]" : ip;
        return "Bind for " + host + ":" + port + " failed: port is already allocated";
    }
}
