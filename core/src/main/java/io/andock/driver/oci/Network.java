package io.andock.driver.oci;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which network namespace a container gets. {@code host}: none of its own. {@code none}: a fresh one holding
 * only {@code lo}, which runc and crun bring up themselves. {@code joined}: one created before the container by
 * whoever wires it (the bridge/CNI code, slirp4netns), named by a path such as {@code /run/netns/andock-<id>}.
 */
public record Network(Kind kind, Path netnsPath) {

    public enum Kind { HOST, NONE, JOINED }

    public Network {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.JOINED) != (netnsPath != null)) {
            throw io.andock.AndockException.invalid("a netns path is needed exactly for a joined network");
        }
    }

    public static Network host() {
        return new Network(Kind.HOST, null);
    }

    public static Network none() {
        return new Network(Kind.NONE, null);
    }

    public static Network joined(Path netnsPath) {
        return new Network(Kind.JOINED, netnsPath);
    }

    /** True when the container has a network namespace of its own (so it may mount sysfs even in a user namespace). */
    public boolean ownNamespace() {
        return kind != Kind.HOST;
    }
}
