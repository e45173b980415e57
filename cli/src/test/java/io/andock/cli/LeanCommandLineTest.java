package io.andock.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The lean parser ({@link LeanCommandLine}, {@link LeanCommands}) against picocli's model of the same commands: every
 * option picocli declares for a lean command (its own, its mixin's, the inherited root ones) is in the lean table
 * with the same names and kind, and setting it through either parser leaves the command object in the same state,
 * field by field. Then many command lines, written and generated: whenever the lean parser accepts one, picocli
 * reads it the same way (and where picocli would refuse it, the lean parser declines, so picocli says so).
 */
@Tag("unit")
class LeanCommandLineTest {
    private static final PrintWriter SINK = new PrintWriter(Writer.nullWriter());

    @Test
    void everyPicocliOption_isInTheLeanTable_withItsNamesAndKind() {
        for (String command : LeanCommands.NAMES) {
            Map<String, String> lean = leanEntries(command);
            Set<String> matched = new TreeSet<>();
            for (OptionSpec o : picocliSpec(command).options()) {
                String names = String.join("|", o.names());
                if (o.usageHelp() || o.versionHelp()) {
                    assertThat(LeanCommandLine.parse(line(command, o.longestName(), positionals(command))))
                            .as("%s %s is picocli's (help and version texts)", command, names).isNull();
                    continue;
                }
                String entry = lean.get(key(o.names()));
                assertThat(entry).as("picocli's option %s of '%s' is missing from LeanCommands", names, command).isNotNull();
                assertThat(entry.substring(entry.indexOf(' ') + 1)).as("kind of %s %s", command, names).isEqualTo(kind(o));
                matched.add(key(o.names()));
            }
            assertThat(lean.keySet()).as("lean options of '%s' that picocli does not declare", command)
                    .containsExactlyInAnyOrderElementsOf(matched);
        }
    }

    @Test
    void everyOption_byEveryName_setsWhatPicocliSets() {
        for (String command : LeanCommands.NAMES) {
            for (OptionSpec o : picocliSpec(command).options()) {
                if (o.usageHelp() || o.versionHelp()) continue;
                String value = sample(o);
                for (String name : o.names()) {
                    List<List<String>> forms = new ArrayList<>();
                    if (value == null) {
                        forms.add(List.of(name));
                    } else {
                        forms.add(List.of(name, value));
                        if (name.startsWith("--")) forms.add(List.of(name + "=" + value));
                        else forms.add(List.of(name + value));
                        if (o.isMultiValue()) forms.add(List.of(name, value, name, value + "2"));
                    }
                    for (List<String> form : forms) {
                        List<String> args = new ArrayList<>(List.of(command));
                        args.addAll(form);
                        args.addAll(positionals(command));
                        assertSameAsPicocli(args.toArray(String[]::new), true);
                    }
                }
            }
        }
    }

    @Test
    void dockerSyntax_readAsPicocliReadsIt() {
        String[][] accepted = {
            {"run", "-it", "--rm", "img", "sh", "-c", "echo hi"},
            {"run", "-dit", "--name", "web", "-p8080:80", "-p", "9090:90", "img"},
            {"run", "--rm", "img", "ls", "-l", "--rm", "--", "x"},
            {"run", "--", "img", "true"},
            {"run", "-e", "A=1", "-e", "B", "--env=C=3", "-eD=4", "img"},
            {"run", "--entrypoint", "", "img"},
            {"run", "--entrypoint=", "img"},
            {"run", "--net=none", "img"},
            {"--root", "/tmp/r", "--driver", "proot", "run", "--rm", "img", "true"},
            {"run", "--root", "/tmp/r", "--log-level=debug", "img", "--root", "/x"},
            {"--root=/tmp/r", "ps", "-aq", "--no-trunc"},
            {"ps", "--format", "{{.Names}}", "-f", "status=exited", "--filter=name=a"},
            {"exec", "-it", "c", "sh", "-c", "ls -l"},
            {"exec", "-u", "1000:1000", "-w/tmp", "c", "--", "ls"},
            {"start", "-ai", "c"},
            {"start", "a", "b", "c"},
            {"stop", "-t", "5", "a", "b"},
            {"stop", "-t0", "--signal", "HUP", "a"},
            {"rm", "-fv", "a", "b"},
            {"rm", "a", "-f", "b"},
            {"rm", "--", "-a"},
            {"logs", "-f", "--tail", "10", "-t", "c"},
            {"logs", "-n5", "--since=10m", "c"},
            {"inspect", "-f", "{{.Id}}", "a", "b"},
            {"inspect", "a", "--format={{json .Config}}"},
            {"run", "img", "@notafile"},
            {"run", "-", "x"},
            {"pull", "img"}, {"pull", "-q", "--platform", "linux/arm64", "127.0.0.1:5000/a/b:c"},
            {"create", "--rm", "--name", "c1", "-e", "A=1", "img", "sh", "-c", "--rm"},
        };
        for (String[] args : accepted) assertSameAsPicocli(args, true);
        String[][] declined = {
            {"run", "--help"}, {"--help", "run"}, {"run", "-h", "img"}, {"--version"}, {"ps", "-V"},
            {"run", "--bogus", "img"}, {"run", "-e"}, {"run"}, {"exec", "c"}, {"stop"}, {"logs", "a", "b"},
            {"ps", "x"}, {"run", "--rm=true", "img"}, {"run", "-e=A", "img"}, {"run", "--name", "a", "--name", "b", "img"},
            {"run", "--stop-timeout", "x", "img"}, {"run", "--stop-timeout", "010", "img"}, {"stop", "-t", "-1", "a"},
            {"run", "-e", "-x", "img"}, {"container", "run", "img"}, {"images"}, {"pull", "a", "b"}, {},
            {"--root", "/a", "--root", "/b", "ps"}, {"run", "--tty", "-t", "img"}, {"run", "--net=none", "--network", "host", "img"},
        };
        for (String[] args : declined) {
            assertThat(LeanCommandLine.parse(args)).as("lean parse of %s", Arrays.toString(args)).isNull();
        }
    }

    /** Command lines made of options, values and words at random: wherever the lean parser reads one, picocli agrees. */
    @Test
    void generatedLines_leanAgreesWithPicocliWhereverItAccepts() {
        Random random = new Random(12);
        int accepted = 0;
        for (String command : LeanCommands.NAMES) {
            List<String> tokens = new ArrayList<>(List.of("--", "-", "img", "c", "x=1", "", "7", "/tmp/f", "--root", "/r",
                    "--driver", "proot", "-x", "--nope", "-=", "=", "--=", "--rm=false"));
            for (OptionSpec o : picocliSpec(command).options()) {
                tokens.addAll(List.of(o.names()));
                for (String n : o.names()) {
                    if (!n.startsWith("--")) tokens.add(n + "7");
                    else tokens.add(n + "=7");
                }
            }
            String shorts = shortFlags(command);
            if (shorts.length() > 1) tokens.add("-" + shorts);
            for (int n = 0; n < 600; n++) {
                List<String> args = new ArrayList<>(List.of(command));
                int len = random.nextInt(7);
                for (int k = 0; k < len; k++) args.add(tokens.get(random.nextInt(tokens.size())));
                if (random.nextBoolean()) args.addAll(positionals(command));
                if (assertSameAsPicocli(args.toArray(String[]::new), false)) accepted++;
            }
        }
        assertThat(accepted).as("generated lines the lean parser read").isGreaterThan(500);
    }

    /** Parses {@code args} both ways; true if the lean parser read it (and then picocli read it the same). */
    private static boolean assertSameAsPicocli(String[] args, boolean leanMustAccept) {
        String what = Arrays.toString(args);
        LeanCommandLine.Parsed lean = LeanCommandLine.parse(args);
        if (lean == null) {
            if (leanMustAccept) fail("the lean parser declined " + what);
            return false;
        }
        AndockCommand root = new AndockCommand();
        CommandLine cl = Main.commandLine(args, root, SINK, SINK);
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            fail("lean parser read " + what + " that picocli refuses: " + e.getMessage());
            return false;
        }
        Object picocli = parsed.subcommand().commandSpec().userObject();
        assertThat(fields(lean.command())).as("fields after %s", what).isEqualTo(fields(picocli));
        assertThat(List.of(String.valueOf(lean.root()), String.valueOf(lean.logLevel()), String.valueOf(lean.driver())))
                .as("root options after %s", what)
                .isEqualTo(List.of(String.valueOf(root.root), String.valueOf(root.logLevel), String.valueOf(root.driver)));
        return true;
    }

    /** Every field of a command object (its mixin's too), by name; picocli's own spec left out. */
    private static Map<String, String> fields(Object command) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(command, command.getClass(), "", out);
        return out;
    }

    private static void collect(Object o, Class<?> c, String prefix, Map<String, String> out) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType() == CommandSpec.class) continue;
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(o);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                if (v instanceof ContainerFlags flags) collect(flags, ContainerFlags.class, f.getName() + ".", out);
                else out.put(prefix + f.getName(), String.valueOf(v));
            }
        }
    }

    private static CommandSpec picocliSpec(String command) {
        CommandLine cl = Main.commandLine(new String[]{command}, new AndockCommand(), SINK, SINK);
        return cl.getSubcommands().get(command).getCommandSpec();
    }

    /** The lean table of {@code command}, the root options included, by the set of an option's names. */
    private static Map<String, String> leanEntries(String command) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of(LeanCommands.ROOT));
        all.addAll(List.of(LeanCommands.options(command)));
        for (String e : all) out.put(key(List.of(e.substring(0, e.indexOf(' ')).split("\\|"))), e);
        return out;
    }

    private static String key(String[] names) {
        return key(List.of(names));
    }

    private static String key(List<String> names) {
        return String.join("|", new TreeSet<>(names));
    }

    private static String kind(OptionSpec o) {
        if (o.arity().max() == 0) return "0";
        return o.isMultiValue() ? "*" : "1";
    }

    /** A value of the option's type that both parsers read alike; null for a flag. */
    private static String sample(OptionSpec o) {
        if (o.arity().max() == 0) return null;
        Class<?> t = o.isMultiValue() ? o.auxiliaryTypes()[0] : o.type();
        if (t == Integer.class || t == int.class || t == long.class || t == Long.class) return "7";
        if (t == Path.class) return "/tmp/f";
        return "v=1";
    }

    /** Positional arguments that complete a command line of {@code command}. */
    private static List<String> positionals(String command) {
        return switch (command) {
            case "ps" -> List.of();
            case "exec" -> List.of("c", "true");
            case "run", "create" -> List.of("img", "true");
            default -> List.of("c");
        };
    }

    /** The command's one-letter flags, run together (for a cluster). */
    private static String shortFlags(String command) {
        StringBuilder b = new StringBuilder();
        for (OptionSpec o : picocliSpec(command).options()) {
            if (o.arity().max() != 0) continue;
            for (String n : o.names()) if (n.length() == 2 && !n.equals("-h") && !n.equals("-V")) b.append(n.charAt(1));
        }
        return b.toString();
    }

    private static String[] line(String command, String option, List<String> positionals) {
        List<String> args = new ArrayList<>(List.of(command, option));
        args.addAll(positionals);
        return args.toArray(String[]::new);
    }
}
