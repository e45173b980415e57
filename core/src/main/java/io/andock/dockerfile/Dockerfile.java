package io.andock.dockerfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Dockerfile: the ARG instructions before the first FROM (the global "meta" args, visible to FROM lines
 * only unless re-declared inside a stage) and the stages, each a FROM with the instructions after it.
 * Nothing is substituted yet; that needs the build args and the base image config (the builder's
 * {@code BuildPlan} and {@code StageEvaluator}).
 */
public record Dockerfile(char escape, List<Instruction.Arg> metaArgs, List<Stage> stages) {

    /** A build stage: its position, its lower-case name or null, its FROM and its instructions. */
    public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
        public Stage {
            instructions = List.copyOf(instructions);
        }

        public String name() {
            return from.name();
        }

        /** {@code name} when named, else the index, as Docker prints stages. */
        public String displayName() {
            return name() != null ? name() : Integer.toString(index);
        }
    }

    public Dockerfile {
        metaArgs = List.copyOf(metaArgs);
        stages = List.copyOf(stages);
    }

    public static Dockerfile parse(byte[] utf8) {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /**
     * Parses a Dockerfile. Errors are invalid-argument errors starting {@code Dockerfile:<line>: }, for unknown
     * instructions, bad ARG/ENV/LABEL syntax, unknown flags, wrong arity, a missing FROM.
     */
    public static Dockerfile parse(String text) {
        DockerfileParser.Parsed parsed = DockerfileParser.parse(text);
        List<Instruction.Arg> meta = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> current = null;
        for (DockerfileParser.Raw raw : parsed.instructions()) {
            Instruction in = InstructionParser.parse(raw);
            if (in instanceof Instruction.From f) {
                if (from != null) stages.add(new Stage(stages.size(), from, current));
                from = f;
                current = new ArrayList<>();
            } else if (from == null) {
                if (!(in instanceof Instruction.Arg a)) {
                    throw DockerfileParser.error(in.line(), "no build stage in current context: "
                            + "a Dockerfile must begin with FROM (only ARG may come before it)");
                }
                meta.add(a);
            } else {
                current.add(in);
            }
        }
        if (from == null) {
            int last = parsed.instructions().get(parsed.instructions().size() - 1).line();
            throw DockerfileParser.error(last, "no FROM instruction: a Dockerfile needs at least one build stage");
        }
        stages.add(new Stage(stages.size(), from, current));
        for (int i = 0; i < stages.size(); i++) {
            String n = stages.get(i).name();
            for (int j = 0; n != null && j < i; j++) {
                if (n.equals(stages.get(j).name())) {
                    throw DockerfileParser.error(stages.get(i).from().line(),
                            "duplicate stage name \"" + n + "\" (first used on line " + stages.get(j).from().line() + ")");
                }
            }
        }
        return new Dockerfile(parsed.escape(), meta, stages);
    }

    /** Parses one instruction line, as for an ONBUILD trigger from a base image. */
    public static Instruction parseLine(String line, char escape, int reportLine) {
        DockerfileParser.Parsed p = DockerfileParser.parse((escape == '`' ? "# escape=`\n" : "") + line);
        DockerfileParser.Raw raw = p.instructions().get(0);
        DockerfileParser.Raw at = new DockerfileParser.Raw(reportLine, raw.keyword(), raw.flags(), raw.args(),
                raw.json(), raw.rest(), raw.original(), raw.sub());
        return InstructionParser.parse(at);
    }
}
