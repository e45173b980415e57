package io.andock.driver;

import io.andock.os.HostTools;
import io.andock.AndockException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The drivers available to the service, by name, and the default one. */
public final class Drivers {
    private final Map<String, Driver> byName = new LinkedHashMap<>();
    private final String defaultName;

    public Drivers(String defaultName, Driver... drivers) {
        for (Driver d : drivers) byName.put(d.name(), d);
        if (!byName.containsKey(defaultName)) throw AndockException.invalid("no driver " + defaultName);
        this.defaultName = defaultName;
    }

    /** Just {@code driver}, the default. */
    public static Drivers of(Driver driver) {
        return new Drivers(driver.name(), driver);
    }

    /** proot and chroot; chroot is the default where this process is root, proot otherwise (the engine adds oci). */
    public static Drivers local() {
        return new Drivers(HostTools.isRoot() ? "chroot" : "proot", new ProotDriver(), new ChrootDriver());
    }

    public Driver get(String name) {
        Driver d = byName.get(name == null ? defaultName : name);
        if (d == null) throw AndockException.invalid("unknown driver \"" + name + "\": available " + byName.keySet());
        return d;
    }

    public String defaultName() {
        return defaultName;
    }
}
