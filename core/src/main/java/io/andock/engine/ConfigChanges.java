package io.andock.engine;

import io.andock.AndockException;
import io.andock.builder.ConfigMutations;
import io.andock.dockerfile.Dockerfile;
import io.andock.dockerfile.Instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code changes} of {@code docker commit --change} (and {@code import --change}): Dockerfile instructions that
 * only set configuration (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL), applied
 * to an image config as a build would apply them, without variable substitution (Docker substitutes none here).
 * Any other instruction is refused, as Docker refuses it.
 */
public final class ConfigChanges {
    /** Bounds on what a client sends. */
    static final int MAX_CHANGES = 256, MAX_LENGTH = 64 * 1024;

    private ConfigChanges() {}

    public static void apply(Map<String, Object> image, List<String> changes) {
        if (changes.size() > MAX_CHANGES) throw AndockException.invalid("too many changes: " + changes.size());
        for (String change : changes) {
            if (change.isBlank()) continue;
            if (change.length() > MAX_LENGTH) throw AndockException.invalid("change too long");
            apply(image, Dockerfile.parseLine(change, '\\', 1));
        }
    }

    private static void apply(Map<String, Object> image, Instruction in) {
        Map<String, Object> run = ConfigMutations.run(image);
        if (in instanceof Instruction.Cmd c) {
            run.put("Cmd", command(c.command(), c.shellForm(), image));
        } else if (in instanceof Instruction.Entrypoint e) {
            List<String> ep = command(e.command(), e.shellForm(), image);
            if (ep.isEmpty()) run.remove("Entrypoint");
            else run.put("Entrypoint", ep);
        } else if (in instanceof Instruction.Env e) {
            e.pairs().forEach(kv -> ConfigMutations.setEnv(image, kv.key(), kv.value()));
        } else if (in instanceof Instruction.Label l) {
            l.pairs().forEach(kv -> ConfigMutations.setLabel(image, kv.key(), kv.value()));
        } else if (in instanceof Instruction.Expose x) {
            ConfigMutations.expose(image, ConfigMutations.ports(x.ports()));
        } else if (in instanceof Instruction.Workdir w) {
            run.put("WorkingDir", w.path());
        } else if (in instanceof Instruction.User u) {
            run.put("User", u.user());
        } else if (in instanceof Instruction.Volume v) {
            ConfigMutations.volumes(image, v.paths());
        } else if (in instanceof Instruction.StopSignal s) {
            run.put("StopSignal", s.signal());
        } else if (in instanceof Instruction.Onbuild o) {
            @SuppressWarnings("unchecked") List<Object> triggers = run.get("OnBuild") instanceof List<?> l
                    ? (List<Object>) l : new ArrayList<>();
            triggers.add(o.expression());
            run.put("OnBuild", triggers);
        } else {
            throw AndockException.invalid(in.keyword().toLowerCase(java.util.Locale.ROOT) + " is not a valid change command");
        }
    }

    private static List<String> command(List<String> cmd, boolean shellForm, Map<String, Object> image) {
        if (!shellForm) return new ArrayList<>(cmd);
        List<String> out = new ArrayList<>(ConfigMutations.shell(image));
        out.add(cmd.get(0));
        return out;
    }
}
