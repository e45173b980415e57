package io.andock.container;

import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process to run in a container, fully resolved (the OCI {@code process} object's content): argv with argv[0]
 * already checked in the rootfs, the final environment, the cwd and the numeric identity.
 */
public record ProcessSpec(List<String> args, List<String> env, String cwd, long uid, long gid,
                          List<Long> additionalGids, boolean terminal) implements JsonWritable {

    public ProcessSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
    }

    /** The OCI runtime-spec {@code process} object (without capabilities and rlimits: {@link OciSpecs} adds them). */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("uid", uid);
        user.put("gid", gid);
        if (!additionalGids.isEmpty()) user.put("additionalGids", additionalGids);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("terminal", terminal);
        m.put("user", user);
        m.put("args", args);
        m.put("env", env);
        m.put("cwd", cwd);
        return m;
    }

    public static ProcessSpec fromJson(JsonObject o) {
        JsonObject u = o.object("user");
        List<Long> gids = new ArrayList<>();
        for (Object g : u.list("additionalGids")) gids.add(((Number) g).longValue());
        return new ProcessSpec(o.strings("args"), o.strings("env") == null ? List.of() : o.strings("env"),
                o.string("cwd", "/"), u.number("uid", 0), u.number("gid", 0), gids, o.bool("terminal"));
    }

    public String envValue(String key) {
        for (int i = env.size() - 1; i >= 0; i--) {
            String e = env.get(i);
            if (e.startsWith(key + "=")) return e.substring(key.length() + 1);
        }
        return null;
    }
}
