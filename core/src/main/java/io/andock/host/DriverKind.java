package io.andock.host;

import io.andock.AndockException;

import java.util.Locale;

/** The ways andock can run a container, most isolated first. */
public enum DriverKind {
    /** An OCI runtime (runc or crun) with namespaces and cgroups; rootful, or rootless in a user namespace. */
    OCI,
    /** Root without namespace support (rooted phones): chroot, in a private mount namespace when possible. */
    CHROOT,
    /** ptrace-based path translation; needs no privileges (unrooted phones). */
    PROOT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a driver name as given to {@code --driver}: oci, chroot, proot (any case). */
    public static DriverKind parse(String name) {
        for (DriverKind d : values()) {
            if (d.id().equalsIgnoreCase(name.strip())) return d;
        }
        throw AndockException.invalid("unknown driver \"" + name + "\": choose oci, runc, crun, chroot or proot");
    }
}
