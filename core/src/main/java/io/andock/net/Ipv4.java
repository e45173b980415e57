package io.andock.net;

import io.andock.AndockException;

import java.util.regex.Pattern;

/** IPv4 addresses and CIDR prefixes as users write them ({@code --subnet 10.5.0.0/24 --gateway 10.5.0.1}), checked strictly. */
final class Ipv4 {
    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Ipv4() {}

    /** The address as an int; INVALID_ARGUMENT for anything but four decimal octets. */
    static int parse(String s, String what) {
        var m = s == null ? null : DOTTED.matcher(s);
        if (m == null || !m.matches()) throw AndockException.invalid("invalid " + what + " " + shown(s) + ": not an IPv4 address");
        int a = 0;
        for (int i = 1; i <= 4; i++) {
            int o = Integer.parseInt(m.group(i));
            if (o > 255) throw AndockException.invalid("invalid " + what + " " + shown(s) + ": not an IPv4 address");
            a = (a << 8) | o;
        }
        return a;
    }

    static String format(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    /** A CIDR prefix {@code a.b.c.d/n}; {@code n} in [8, 30] (a network needs room for a gateway and a container). */
    static Routes.Route cidr(String s, String what) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0 || s.length() > 18) throw AndockException.invalid("invalid " + what + " " + shown(s) + ": expected CIDR such as 10.5.0.0/24");
        int addr = parse(s.substring(0, slash), what);
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw AndockException.invalid("invalid " + what + " " + shown(s) + ": bad prefix length");
        }
        if (prefix < 8 || prefix > 30) throw AndockException.invalid("invalid " + what + " " + shown(s) + ": prefix length must be 8 to 30");
        Routes.Route r = new Routes.Route(addr, prefix);
        if ((addr & r.mask()) != addr) {
            throw AndockException.invalid("invalid " + what + " " + shown(s) + ": host bits set (did you mean "
                    + format(addr & r.mask()) + "/" + prefix + "?)");
        }
        return r;
    }

    static String cidr(Routes.Route r) {
        return format(r.address()) + "/" + r.prefix();
    }

    static boolean contains(Routes.Route net, int addr) {
        return (addr & net.mask()) == net.address();
    }

    private static String shown(String s) {
        return io.andock.container.StoreNames.printable(String.valueOf(s));
    }
}
