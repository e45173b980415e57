package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.BuildArgs;
import io.andock.dockerfile.ContextPaths;
import io.andock.dockerfile.Dockerfile;
import io.andock.dockerfile.Instruction;
import io.andock.dockerfile.Instruction.ArgDecl;
import io.andock.dockerfile.Instruction.KeyValue;
import io.andock.dockerfile.ShellLex;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks one planned stage from its base image config to its last step, as the classic builder does, without
 * running anything: a pure function of (plan, stage, base config, base identity, earlier stages' keys, build
 * context contents, timestamp). ONBUILD triggers of the base run first and are then cleared.
 *
 * <p>Scopes: the variables a step's words are substituted with are the proxy build args given, then the args
 * declared in this stage (ARG; a bare {@code ARG X} takes the global value of X, from a pre-FROM ARG or the
 * platform args; {@code --build-arg} overrides any default), then the image env, later ones winning: ENV beats
 * ARG. One ENV or LABEL instruction substitutes all its pairs with the values from before it. Substituted:
 * ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and ARG defaults (FROM: global args only, in
 * {@link BuildPlan}); not substituted: RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD, MAINTAINER.
 */
public final class StageEvaluator {

    /** The outcome: the steps, the config after the last one and the stage's final cache key. */
    public record Result(int stage, List<Step> steps, JsonObject config, String finalKey) {
        public Result {
            steps = List.copyOf(steps);
        }
    }

    private final BuildPlan plan;
    private final BuildPlan.PlannedStage stage;
    private final BuildContext context;
    private final Map<Integer, String> stageKeys;
    private final String created;
    private final ShellLex lex;
    private final Map<String, Object> image;
    private final Map<String, String> args = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private boolean cmdSet;
    private String key;

    private StageEvaluator(BuildPlan plan, BuildPlan.PlannedStage stage, JsonObject baseConfig, String baseIdentity,
                           Map<Integer, String> stageKeys, BuildContext context, String created) {
        this.plan = plan;
        this.stage = stage;
        this.context = context;
        this.stageKeys = stageKeys == null ? Map.of() : stageKeys;
        this.created = created;
        this.lex = new ShellLex(plan.dockerfile().escape());
        this.image = baseConfig == null ? ConfigMutations.scratch(stage.platform())
                : ConfigMutations.copy(baseConfig.map());
        this.key = sha("base\n" + (baseIdentity == null ? "scratch" : baseIdentity));
    }

    /**
     * Evaluates {@code stage}. {@code baseConfig} is the base image's config (null for scratch); for a stage base,
     * the config that stage ended with. {@code baseIdentity} is what the base is: an image config digest, an
     * earlier stage's final key, or null for scratch. {@code stageKeys} maps earlier stage indexes to their final
     * keys (for {@code COPY --from}); {@code created} is the ISO-8601 time to put in history, or null.
     */
    public static Result evaluate(BuildPlan plan, BuildPlan.PlannedStage stage, JsonObject baseConfig,
                                  String baseIdentity, Map<Integer, String> stageKeys, BuildContext context,
                                  String created) {
        StageEvaluator ev = new StageEvaluator(plan, stage, baseConfig, baseIdentity, stageKeys, context, created);
        return ev.run();
    }

    private Result run() {
        Map<String, Object> rc = ConfigMutations.run(image);
        List<String> triggers = new ArrayList<>();
        if (rc.get("OnBuild") instanceof List<?> l) l.forEach(o -> triggers.add(String.valueOf(o)));
        rc.remove("OnBuild");
        int fromLine = stage.stage().from().line();
        for (String t : triggers) {
            step(Dockerfile.parseLine(t, plan.dockerfile().escape(), fromLine));
        }
        for (Instruction in : stage.stage().instructions()) step(in);
        return new Result(stage.index(), steps, new JsonObject(ConfigMutations.copy(image)), key);
    }

    private void step(Instruction in) {
        try {
            dispatch(in);
        } catch (AndockException e) {
            if (e.getMessage().startsWith("Dockerfile:")) throw e;
            throw new AndockException(e.kind(), "Dockerfile:" + in.line() + ": " + in.keyword() + ": " + e.getMessage(), e);
        }
    }

    /** The variables for substitution: given proxy args, then declared args, then the env. */
    private Map<String, String> vars() {
        Map<String, String> v = new LinkedHashMap<>();
        plan.options().buildArgs().forEach((k, val) -> { if (BuildArgs.PROXY.contains(k)) v.put(k, val); });
        v.putAll(args);
        v.putAll(ConfigMutations.env(image));
        return v;
    }

    private String word(String w, Map<String, String> vars) {
        return lex.word(w, vars);
    }

    private void dispatch(Instruction in) {
        currentLine = in.line();
        Map<String, String> vars = vars();
        if (in instanceof Instruction.Run r) run(r);
        else if (in instanceof Instruction.Copy c) copy(c, vars);
        else if (in instanceof Instruction.Arg a) arg(a);
        else if (in instanceof Instruction.Env e) pairs("ENV", e.pairs(), vars);
        else if (in instanceof Instruction.Label l) pairs("LABEL", l.pairs(), vars);
        else if (in instanceof Instruction.Cmd c) {
            List<String> cmd = c.shellForm() ? withShell(c.command().get(0)) : c.command();
            ConfigMutations.run(image).put("Cmd", new ArrayList<>(cmd));
            cmdSet = true;
            meta("CMD " + ConfigMutations.quoted(cmd), "");
        } else if (in instanceof Instruction.Entrypoint e) {
            List<String> ep = e.shellForm() ? withShell(e.command().get(0)) : e.command();
            Map<String, Object> rc = ConfigMutations.run(image);
            if (ep.isEmpty()) rc.remove("Entrypoint");
            else rc.put("Entrypoint", new ArrayList<>(ep));
            if (!cmdSet) rc.remove("Cmd");
            meta("ENTRYPOINT " + ConfigMutations.quoted(ep), "");
        } else if (in instanceof Instruction.Expose x) {
            List<String> ports = ConfigMutations.ports(x.ports().stream().map(p -> word(p, vars)).toList());
            ConfigMutations.expose(image, ports);
            meta("EXPOSE " + String.join(" ", ports), "");
        } else if (in instanceof Instruction.Workdir w) {
            String dir = ContextPaths.join(workdir(), word(w.path(), vars));
            ConfigMutations.run(image).put("WorkingDir", dir);
            metaOneSpace("WORKDIR " + dir);
        } else if (in instanceof Instruction.User u) {
            String user = word(u.user(), vars);
            ConfigMutations.run(image).put("User", user);
            meta("USER " + user, "");
        } else if (in instanceof Instruction.Volume v) {
            volume(v, vars);
        } else if (in instanceof Instruction.StopSignal s) {
            String sig = word(s.signal(), vars);
            ConfigMutations.run(image).put("StopSignal", sig);
            meta("STOPSIGNAL " + sig, "");
        } else {
            unsubstituted(in);
        }
    }

    /** The metadata instructions that take their arguments literally. */
    private void unsubstituted(Instruction in) {
        Map<String, Object> rc = ConfigMutations.run(image);
        if (in instanceof Instruction.Shell s) {
            rc.put("Shell", new ArrayList<>(s.shell()));
            meta("SHELL " + ConfigMutations.plain(s.shell()), "");
        } else if (in instanceof Instruction.Healthcheck h) {
            rc.put("Healthcheck", ConfigMutations.healthcheck(h));
            meta(ConfigMutations.healthcheckText(h), "");
        } else if (in instanceof Instruction.Onbuild o) {
            List<Object> list = rc.get("OnBuild") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            list.add(o.expression());
            rc.put("OnBuild", list);
            meta("ONBUILD " + o.expression(), "");
        } else if (in instanceof Instruction.Maintainer m) {
            image.put("author", m.name());
            meta("MAINTAINER " + m.name(), "");
        } else {
            throw AndockException.invalid(in.keyword() + " is not allowed here");
        }
    }

    /** ENV and LABEL: every pair substituted with the variables from before the instruction. */
    private void pairs(String keyword, List<KeyValue> pairs, Map<String, String> vars) {
        StringBuilder msg = new StringBuilder(keyword);
        for (KeyValue kv : pairs) {
            String k = word(kv.key(), vars);
            String v = word(kv.value(), vars);
            if (k.isEmpty()) throw AndockException.invalid(keyword + " names can not be blank");
            if (keyword.equals("ENV")) ConfigMutations.setEnv(image, k, v);
            else ConfigMutations.setLabel(image, k, v);
            msg.append(' ').append(k).append('=').append(v);
        }
        meta(msg.toString(), "");
    }

    private void volume(Instruction.Volume v, Map<String, String> vars) {
        List<String> paths = new ArrayList<>();
        for (String p : v.paths()) {
            String x = word(p, vars);
            if (x.isBlank()) throw AndockException.invalid("VOLUME specified can not be an empty string");
            paths.add(x);
        }
        ConfigMutations.volumes(image, paths);
        meta("VOLUME " + ConfigMutations.plain(paths), "");
    }

    private String workdir() {
        Object w = ConfigMutations.run(image).get("WorkingDir");
        return w instanceof String s && !s.isEmpty() ? s : "/";
    }

    private List<String> withShell(String command) {
        List<String> out = new ArrayList<>(ConfigMutations.shell(image));
        out.add(command);
        return out;
    }

    private void arg(Instruction.Arg a) {
        StringBuilder msg = new StringBuilder();
        StringBuilder effective = new StringBuilder();
        for (ArgDecl d : a.args()) {
            String dflt = d.dflt() == null ? null : word(d.dflt(), vars());
            String v = plan.options().buildArgs().get(d.name());
            if (v == null) v = dflt;
            if (v == null) v = plan.globalArgs().get(d.name());
            if (v != null) args.put(d.name(), v);
            else args.remove(d.name());
            msg.append(msg.length() == 0 ? "ARG " : " ").append(d.name()).append(dflt == null ? "" : "=" + dflt);
            effective.append(d.name()).append('=').append(v == null ? "<unset>" : v).append('\n');
        }
        meta(msg.toString(), effective.toString());
    }

    /** The build args RUN sees that are not shadowed by the env, sorted; proxies only when given. */
    private Map<String, String> runArgs(boolean forHistory) {
        Map<String, String> env = ConfigMutations.env(image);
        Map<String, String> out = new TreeMap<>();
        if (!forHistory) {
            plan.options().buildArgs().forEach((k, v) -> { if (BuildArgs.PROXY.contains(k)) out.put(k, v); });
        }
        out.putAll(args);
        env.keySet().forEach(out::remove);
        return out;
    }

    private void run(Instruction.Run r) {
        List<String> argv = r.shellForm() ? withShell(r.command().get(0)) : r.command();
        List<String> env = new ArrayList<>();
        ConfigMutations.env(image).forEach((k, v) -> env.add(k + "=" + v));
        runArgs(false).forEach((k, v) -> env.add(k + "=" + v));
        Map<String, String> hist = runArgs(true);
        StringBuilder createdBy = new StringBuilder();
        if (!hist.isEmpty()) {
            createdBy.append('|').append(hist.size());
            hist.forEach((k, v) -> createdBy.append(' ').append(k).append('=').append(v));
            createdBy.append(' ');
        }
        createdBy.append(String.join(" ", argv));
        Object user = ConfigMutations.run(image).get("User");
        add(r.line(), "RUN", createdBy.toString(), false, "",
                new Step.Run(argv, env, user == null ? "" : user.toString(), workdir()));
    }

    private void copy(Instruction.Copy c, Map<String, String> vars) {
        List<String> srcs = c.sources().stream().map(s -> word(s, vars)).toList();
        String destWord = word(c.dest(), vars);
        String chown = c.chown() == null ? null : word(c.chown(), vars);
        Integer chmod = c.chmod() == null ? null : chmod(word(c.chmod(), vars));
        boolean destIsDir = destWord.endsWith("/") || destWord.equals(".") || destWord.endsWith("/.");
        String dest = ContextPaths.join(workdir(), destWord);
        BuildPlan.Base from = stage.copyFrom().get(c.line());
        List<BuildContext.Entry> entries = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        List<String> fromPaths = new ArrayList<>();
        String hash;
        String kind;
        if (from != null) {
            fromPaths.addAll(srcs);
            String id = from instanceof BuildPlan.Base.Stage s
                    ? "stage:" + stageKeys.getOrDefault(s.index(), "?" + s.index())
                    : from instanceof BuildPlan.Base.Image i ? "image:" + i.reference() : "scratch";
            hash = sha(id + "\n" + String.join("\n", srcs)).substring(7);
            kind = "from:";
        } else {
            for (String s : srcs) {
                if (c.add() && (s.startsWith("http://") || s.startsWith("https://"))) urls.add(s);
                else if (context == null) throw AndockException.invalid("no build context for " + s);
                else entries.addAll(context.resolve(s));
            }
            int count = entries.size() + urls.size();
            if (count > 1 && !destIsDir) {
                throw AndockException.invalid("When using " + c.keyword() + " with more than one source file, "
                        + "the destination must be a directory and end with a /");
            }
            String content = entries.isEmpty() ? "" : SourceChecksum.of(context, entries, chown, chmod).hex();
            hash = urls.isEmpty() ? content : sha(content + "\n" + String.join("\n", urls)
                    + "\n" + (c.checksum() == null ? "" : c.checksum())).substring(7);
            kind = count > 1 ? "multi:" : !urls.isEmpty() ? "url:"
                    : entries.get(0).type() == BuildContext.Type.DIRECTORY ? "dir:" : "file:";
        }
        String shell = String.join(" ", ConfigMutations.shell(image));
        String createdBy = shell + " #(nop) " + c.keyword() + " " + kind + hash + " in " + destWord + " ";
        String extra = "chown=" + chown + " chmod=" + chmod + " dest=" + dest;
        add(c.line(), c.keyword(), createdBy, false, extra,
                new Step.Copy(c.add(), entries, from, fromPaths, urls, dest, destIsDir, chown, chmod, hash));
    }

    private static Integer chmod(String s) {
        if (!s.matches("[0-7]{1,4}")) throw AndockException.invalid("invalid --chmod value \"" + s + "\": expected octal mode");
        return Integer.parseInt(s, 8);
    }

    /** A metadata step with Docker's two-space {@code #(nop)} form. */
    private void meta(String text, String extra) {
        String shell = String.join(" ", ConfigMutations.shell(image));
        String kw = text.split(" ", 2)[0];
        add(0, kw, shell + " #(nop)  " + text, true, extra, new Step.Metadata());
    }

    /** WORKDIR's history form has one space after {@code #(nop)}. */
    private void metaOneSpace(String text) {
        String shell = String.join(" ", ConfigMutations.shell(image));
        add(0, "WORKDIR", shell + " #(nop) " + text, true, "", new Step.Metadata());
    }

    private int currentLine;

    private void add(int line, String keyword, String createdBy, boolean empty, String extra, Step.Action action) {
        ConfigMutations.history(image, createdBy, created, empty);
        String runConfig = Json.write(ConfigMutations.run(image));
        key = sha("parent " + key + "\ncmd " + createdBy + "\nconfig " + runConfig + "\nextra " + extra);
        steps.add(new Step(line != 0 ? line : currentLine, keyword, createdBy, empty,
                new JsonObject(ConfigMutations.copy(image)), key, action));
    }

    private static String sha(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
