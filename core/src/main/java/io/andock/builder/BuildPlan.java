package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.BuildArgs;
import io.andock.dockerfile.Dockerfile;
import io.andock.dockerfile.DockerfileParser;
import io.andock.dockerfile.Instruction;
import io.andock.dockerfile.ShellLex;
import io.andock.image.Platform;
import io.andock.image.Reference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to build: the stages the target needs, in Dockerfile order, each with its base and the resolved
 * {@code COPY --from} sources, plus the global args. This is the static part of planning (it needs only the
 * Dockerfile and the options); the per-step part needs each stage's base image config and is done by
 * {@link StageEvaluator} as the executor reaches the stage.
 *
 * <p>Resolution rules (classic builder): {@code FROM x} names an earlier stage when {@code x} is an earlier stage's
 * name (case-insensitive), else an image, {@code scratch} being the empty base. {@code COPY --from=x} names an
 * earlier stage by name or by index; a name or index of the current or a later stage is an error; anything else
 * must be a valid image reference. FROM and {@code --from} are substituted with the global args only.
 */
public record BuildPlan(Dockerfile dockerfile, BuildOptions options, Map<String, String> globalArgs,
                        List<PlannedStage> stages, List<String> warnings) {

    /** Where a stage starts, or where a {@code COPY --from} copies from. */
    public sealed interface Base {
        /** The empty image. */
        record Scratch() implements Base {
        }

        /** An image to pull or find locally, as written after substitution. */
        record Image(String reference) implements Base {
        }

        /** The result of an earlier stage. */
        record Stage(int index) implements Base {
        }
    }

    /**
     * One stage to build. {@code copyFrom} maps the line of each {@code COPY --from} in the stage to its source;
     * {@code platform} is the FROM's {@code --platform} or the target platform.
     */
    public record PlannedStage(Dockerfile.Stage stage, Base base, Platform platform, Map<Integer, Base> copyFrom) {
        public PlannedStage {
            copyFrom = Map.copyOf(copyFrom);
        }

        public int index() {
            return stage.index();
        }
    }

    public BuildPlan {
        globalArgs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(globalArgs));
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** The stage the build ends with. */
    public PlannedStage target() {
        return stages.get(stages.size() - 1);
    }

    public PlannedStage stage(int index) {
        for (PlannedStage s : stages) if (s.index() == index) return s;
        throw AndockException.notFound("stage " + index + " is not part of this build");
    }

    public static BuildPlan of(Dockerfile df, BuildOptions opts) {
        ShellLex lex = new ShellLex(df.escape());
        Map<String, String> global = new LinkedHashMap<>(BuildArgs.platformArgs(opts.targetPlatform(), opts.buildPlatform()));
        Set<String> declared = new HashSet<>();
        for (Instruction.Arg a : df.metaArgs()) {
            for (Instruction.ArgDecl d : a.args()) {
                declared.add(d.name());
                String v = opts.buildArgs().get(d.name());
                if (v == null && d.dflt() != null) v = expand(lex, d.dflt(), global, a.line());
                if (v != null) global.put(d.name(), v);
            }
        }
        List<Dockerfile.Stage> all = df.stages();
        List<Base> bases = new ArrayList<>();
        List<Platform> platforms = new ArrayList<>();
        List<Map<Integer, Base>> froms = new ArrayList<>();
        for (Dockerfile.Stage s : all) {
            Instruction.From f = s.from();
            String image = expand(lex, f.image(), global, f.line());
            if (image.isEmpty()) throw DockerfileParser.error(f.line(), "base name (" + f.image() + ") should not be blank");
            bases.add(base(image, s.index(), all, f.line()));
            Platform p = opts.targetPlatform();
            if (f.platform() != null) {
                String ps = expand(lex, f.platform(), global, f.line());
                try {
                    p = Platform.parse(ps);
                } catch (AndockException e) {
                    throw DockerfileParser.error(f.line(), "FROM --platform: " + e.getMessage());
                }
            }
            platforms.add(p);
            Map<Integer, Base> cf = new LinkedHashMap<>();
            for (Instruction in : s.instructions()) {
                if (in instanceof Instruction.Arg a) a.args().forEach(d -> declared.add(d.name()));
                if (in instanceof Instruction.Copy c && c.from() != null) {
                    cf.put(c.line(), copyFrom(expand(lex, c.from(), global, c.line()), s.index(), all, c.line()));
                }
            }
            froms.add(cf);
        }
        int target = targetIndex(all, opts.target());
        Set<Integer> needed = new TreeSet<>();
        need(target, bases, froms, needed);
        List<PlannedStage> planned = new ArrayList<>();
        for (int i : needed) planned.add(new PlannedStage(all.get(i), bases.get(i), platforms.get(i), froms.get(i)));
        List<String> warnings = new ArrayList<>();
        Set<String> unused = new LinkedHashSet<>();
        for (String k : opts.buildArgs().keySet()) {
            if (!declared.contains(k) && !BuildArgs.PROXY.contains(k)) unused.add(k);
        }
        if (!unused.isEmpty()) warnings.add("One or more build-args " + unused + " were not consumed");
        return new BuildPlan(df, opts, global, planned, warnings);
    }

    static String expand(ShellLex lex, String word, Map<String, String> env, int line) {
        try {
            return lex.word(word, env);
        } catch (AndockException e) {
            throw DockerfileParser.error(line, e.getMessage());
        }
    }

    private static Base base(String image, int self, List<Dockerfile.Stage> all, int line) {
        if (image.equalsIgnoreCase("scratch")) return new Base.Scratch();
        String lower = image.toLowerCase(Locale.ROOT);
        for (int j = 0; j < self; j++) {
            if (lower.equals(all.get(j).name())) return new Base.Stage(j);
        }
        if (lower.equals(all.get(self).name())) {
            throw DockerfileParser.error(line, "stage \"" + lower + "\" cannot use itself as its base");
        }
        checkReference(image, line, "FROM " + image);
        return new Base.Image(image);
    }

    private static Base copyFrom(String from, int self, List<Dockerfile.Stage> all, int line) {
        String lower = from.toLowerCase(Locale.ROOT);
        for (int j = 0; j < self; j++) {
            if (lower.equals(all.get(j).name())) return new Base.Stage(j);
        }
        if (from.chars().allMatch(Character::isDigit)) {
            int idx;
            try {
                idx = Integer.parseInt(from);
            } catch (NumberFormatException e) {
                idx = Integer.MAX_VALUE;
            }
            if (idx >= self) {
                throw DockerfileParser.error(line, "--from=" + from + ": no earlier build stage with index " + from
                        + " (stages can only copy from stages defined before them)");
            }
            return new Base.Stage(idx);
        }
        for (int j = self; j < all.size(); j++) {
            if (lower.equals(all.get(j).name())) {
                throw DockerfileParser.error(line, "--from=" + from + ": stage \"" + lower
                        + "\" is not defined before this instruction");
            }
        }
        if (lower.equals("scratch")) return new Base.Scratch();
        checkReference(from, line, "--from=" + from + ": no build stage named \"" + from + "\" and");
        return new Base.Image(from);
    }

    private static void checkReference(String ref, int line, String what) {
        try {
            Reference.parse(ref);
        } catch (AndockException e) {
            throw DockerfileParser.error(line, what + " is not a valid image reference: " + e.getMessage());
        }
    }

    private static int targetIndex(List<Dockerfile.Stage> all, String target) {
        if (target == null || target.isEmpty()) return all.size() - 1;
        String t = target.toLowerCase(Locale.ROOT);
        for (Dockerfile.Stage s : all) if (t.equals(s.name())) return s.index();
        throw AndockException.invalid("failed to reach build target " + target + " in Dockerfile");
    }

    private static void need(int i, List<Base> bases, List<Map<Integer, Base>> froms, Set<Integer> out) {
        if (!out.add(i)) return;
        if (bases.get(i) instanceof Base.Stage s) need(s.index(), bases, froms, out);
        for (Base b : froms.get(i).values()) if (b instanceof Base.Stage s) need(s.index(), bases, froms, out);
    }
}
