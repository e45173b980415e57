package io.andock.container;

import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's {@code state.json}. {@code status} is Docker's: created, running, paused, restarting, exited, dead.
 * {@code monitorPid}, {@code monitorStart} (field 22 of its /proc stat) and {@code bootId} let any process tell
 * whether the monitor recorded here is still alive; the monitor itself writes the exit status to a separate file.
 */
public record ContainerState(String status, long pid, long monitorPid, long monitorStart, String bootId, int exitCode,
                             String startedAt, String finishedAt, String error) implements JsonWritable {
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    public static ContainerState created() {
        return new ContainerState("created", 0, 0, 0, "", 0, ZERO_TIME, ZERO_TIME, "");
    }

    public boolean running() {
        return status.equals("running") || status.equals("paused") || status.equals("restarting");
    }

    public ContainerState exited(int code, String finished, String err) {
        return new ContainerState("exited", 0, 0, 0, "", code, startedAt, finished, err == null ? "" : err);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status);
        m.put("Pid", pid);
        m.put("MonitorPid", monitorPid);
        m.put("MonitorStart", monitorStart);
        m.put("BootId", bootId);
        m.put("ExitCode", (long) exitCode);
        m.put("StartedAt", startedAt);
        m.put("FinishedAt", finishedAt);
        m.put("Error", error);
        return m;
    }

    public static ContainerState fromJson(JsonObject o) {
        return new ContainerState(o.string("Status", "created"), o.number("Pid", 0), o.number("MonitorPid", 0),
                o.number("MonitorStart", 0), o.string("BootId", ""), (int) o.number("ExitCode", 0),
                o.string("StartedAt", ZERO_TIME), o.string("FinishedAt", ZERO_TIME), o.string("Error", ""));
    }
}
