package io.andock.daemon.wire;

import io.andock.AndockException;
import io.andock.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The refusals dockerd makes of a create body before anything exists, with its words and statuses: a restart
 * policy it does not know or whose retry count does not fit (400), a logging driver it has not (400), a volume
 * driver other than {@code local} for a volume the container would create (404, as dockerd's plugin lookup).
 */
final class CreateChecks {
    /** The logging drivers andock keeps logs for; "local" and "none" are kept as json-file is (rotation: issue 10, class 6). */
    static final Set<String> LOG_DRIVERS = Set.of("json-file", "local", "none");
    /** Docker's other built-in logging drivers: known names, but nothing andock can send logs to. */
    private static final Set<String> DOCKER_LOG_DRIVERS = Set.of("syslog", "journald", "gelf", "fluentd", "awslogs",
            "splunk", "etwlogs", "gcplogs", "logentries");

    private CreateChecks() {}

    static void check(JsonObject body, JsonObject hostConfig) {
        restartPolicy(hostConfig.object("RestartPolicy"));
        logDriver(hostConfig.object("LogConfig").string("Type", ""));
        volumeDrivers(body, hostConfig);
    }

    static void restartPolicy(JsonObject rp) {
        String name = rp.string("Name", "");
        long retries = rp.number("MaximumRetryCount", 0);
        switch (name) {
            case "", "no", "always", "unless-stopped" -> {
                if (retries != 0) {
                    throw AndockException.invalid("maximum retry count cannot be used with restart policy '" + name + "'");
                }
            }
            case "on-failure" -> {
                if (retries < 0) throw AndockException.invalid("maximum retry count cannot be negative");
            }
            default -> throw AndockException.invalid("invalid restart policy '" + printable(name) + "'");
        }
    }

    static void logDriver(String type) {
        if (type.isEmpty() || LOG_DRIVERS.contains(type)) return;
        if (DOCKER_LOG_DRIVERS.contains(type)) {
            throw AndockException.invalid("andock does not support the " + type + " logging driver (json-file, local and none only)");
        }
        throw AndockException.invalid("error looking up logging plugin " + printable(type) + ": plugin \"" + printable(type) + "\" not found");
    }

    /** A volume the container would create, through a driver that is not local: dockerd's 404 from the plugin lookup. */
    static void volumeDrivers(JsonObject body, JsonObject h) {
        String driver = h.string("VolumeDriver", "");
        List<String> volumes = new ArrayList<>();
        for (String bind : h.strings("Binds") == null ? List.<String>of() : h.strings("Binds")) {
            String src = bind.split(":", -1)[0];
            if (bind.contains(":") && !src.startsWith("/") && !src.startsWith(".") && !src.startsWith("~")) volumes.add(src);
        }
        volumes.addAll(body.object("Volumes").map().keySet());
        if (!driver.isEmpty() && !driver.equals("local") && !volumes.isEmpty()) throw noPlugin(volumes.get(0), driver);
        for (JsonObject m : h.objects("Mounts")) {
            String d = m.object("VolumeOptions").object("DriverConfig").string("Name", "");
            if (!d.isEmpty() && !d.equals("local")) throw noPlugin(m.string("Source", m.string("Target", "")), d);
        }
    }

    private static AndockException noPlugin(String volume, String driver) {
        return AndockException.notFound("create " + printable(volume) + ": error looking up volume plugin " + printable(driver)
                + ": plugin \"" + printable(driver) + "\" not found");
    }

    private static String printable(String s) {
        return io.andock.container.StoreNames.printable(s);
    }
}
