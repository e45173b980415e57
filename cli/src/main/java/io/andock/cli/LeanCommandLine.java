package io.andock.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small parser for the hot commands ({@link LeanCommands#NAMES}): it fills the same command objects picocli would,
 * without building picocli's reflective model (about 100 ms at start-up: annotations read through proxies, and
 * picocli's Java 5 class files, which the JDK's class-data sharing cannot always archive).
 *
 * <p>Docker's syntax as picocli reads it: combined short flags ({@code -it}), a short option's value attached
 * ({@code -p8080:80}) or next, {@code --flag=value} and {@code --flag value}, repeated list options, {@code --}, and
 * for {@code run} and {@code exec} the first positional argument ending the options. The root options
 * ({@code --root}, {@code --log-level}, {@code --driver}) go before or after the command name, as picocli's inherited
 * ones. Anything else ({@code --help}, {@code --version}, an unknown option, a value picocli would refuse or read
 * differently, a missing argument, {@code andock container run}) makes {@link #parse} return null, and the caller
 * hands the whole line to picocli: help texts and error messages stay picocli's.
 */
final class LeanCommandLine {
    /** Thrown where the lean parser declines; no stack trace (it is not an error). */
    static final RuntimeException DECLINE = new RuntimeException("left to picocli", null, false, false) { };

    /** A parsed command line: the command object and the root options (null when not given). */
    record Parsed(EngineCommand command, Path root, String logLevel, String driver) {}

    private final EngineCommand command;
    private final String commandName;
    /** Option name (every alias) to its entry "NAME|NAME KIND" of {@link LeanCommands}. */
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private Path root;
    private String logLevel;
    private String driver;

    private LeanCommandLine(String commandName) {
        this.commandName = commandName;
        this.command = commandName == null ? null : LeanCommands.create(commandName);
        for (String o : LeanCommands.ROOT) index(o);
        if (commandName != null) {
            for (String o : LeanCommands.options(commandName)) index(o);
        }
    }

    private void index(String entry) {
        int space = entry.indexOf(' ');
        for (String name : entry.substring(0, space).split("\\|")) options.put(name, entry);
    }

    /** The parsed line, or null when it is picocli's to parse. */
    static Parsed parse(String[] args) {
        try {
            int i = 0;
            LeanCommandLine roots = new LeanCommandLine(null);
            while (i < args.length && args[i].startsWith("-")) i = roots.option(args, i);
            if (i >= args.length || !LeanCommands.NAMES.contains(args[i])) return null;
            LeanCommandLine p = new LeanCommandLine(args[i]);
            p.root = roots.root;
            p.logLevel = roots.logLevel;
            p.driver = roots.driver;
            p.seen.addAll(roots.seen);
            return p.rest(args, i + 1);
        } catch (RuntimeException e) {
            if (e != DECLINE) throw e;
            return null;
        }
    }

    private Parsed rest(String[] args, int from) {
        List<String> positionals = new ArrayList<>();
        boolean endOfOptions = false;
        int i = from;
        while (i < args.length) {
            String a = args[i];
            if (endOfOptions) {
                positionals.add(a);
                i++;
            } else if (a.equals("--")) {
                endOfOptions = true;
                i++;
            } else if (a.startsWith("-") && a.length() > 1) {
                i = option(args, i);
            } else {
                positionals.add(a);
                endOfOptions = LeanCommands.stopsAtPositional(commandName);
                i++;
            }
        }
        if (!LeanCommands.positionals(command, positionals)) return null;
        return new Parsed(command, root, logLevel, driver);
    }

    /** Reads the option (or cluster of short options) at {@code args[i]}; returns the index after it and its value. */
    private int option(String[] args, int i) {
        String a = args[i];
        if (a.startsWith("--")) {
            int eq = a.indexOf('=');
            String entry = entry(eq < 0 ? a : a.substring(0, eq));
            if (eq >= 0) {
                if (flag(entry)) throw DECLINE;   // --rm=true: picocli's reading of it
                apply(entry, a.substring(eq + 1));
                return i + 1;
            }
            if (flag(entry)) {
                apply(entry, null);
                return i + 1;
            }
            apply(entry, value(args, i + 1));
            return i + 2;
        }
        for (int j = 1; j < a.length(); j++) {
            String entry = entry("-" + a.charAt(j));
            if (flag(entry)) {
                apply(entry, null);
                continue;
            }
            if (j + 1 < a.length()) {
                if (a.charAt(j + 1) == '=') throw DECLINE;   // -e=K=V
                apply(entry, a.substring(j + 1));
                return i + 1;
            }
            apply(entry, value(args, i + 1));
            return i + 2;
        }
        return i + 1;
    }

    private String entry(String name) {
        String e = options.get(name);
        if (e == null) throw DECLINE;   // unknown here: picocli says so, or knows it (--help, --version)
        return e;
    }

    private static boolean flag(String entry) {
        return entry.endsWith(" 0");
    }

    /** The next argument as an option's value; one that looks like an option is picocli's to judge. */
    private static String value(String[] args, int i) {
        if (i >= args.length) throw DECLINE;
        String v = args[i];
        if (v.startsWith("-") && v.length() > 1) throw DECLINE;
        return v;
    }

    private void apply(String entry, String value) {
        int space = entry.indexOf(' ');
        String names = entry.substring(0, space);
        String last = names.substring(names.lastIndexOf('|') + 1);
        // a single-valued option (or flag) given twice: picocli refuses it
        if (!entry.endsWith(" *") && !seen.add(names)) throw DECLINE;
        switch (last) {
            case "--root" -> {
                try {
                    root = Path.of(value);
                } catch (InvalidPathException e) {
                    throw DECLINE;
                }
            }
            case "--log-level" -> logLevel = value;
            case "--driver" -> driver = value;
            default -> {
                if (command == null) throw DECLINE;
                LeanCommands.set(command, last, value);
            }
        }
    }
}
