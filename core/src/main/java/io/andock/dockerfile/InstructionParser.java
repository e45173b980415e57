package io.andock.dockerfile;

import io.andock.AndockException;
import io.andock.dockerfile.Instruction.ArgDecl;
import io.andock.dockerfile.Instruction.KeyValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The second pass: a {@link DockerfileParser.Raw} into a typed {@link Instruction}, checking arity and flags. */
final class InstructionParser {
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final long MIN_DURATION = 1_000_000L; // 1ms, as the engine API requires

    private InstructionParser() {
    }

    static Instruction parse(DockerfileParser.Raw r) {
        try {
            return typed(r);
        } catch (AndockException e) {
            if (e.getMessage().startsWith("Dockerfile:")) throw e;
            throw DockerfileParser.error(r.line(), e.getMessage());
        }
    }

    private static Instruction typed(DockerfileParser.Raw r) {
        List<String> a = r.args();
        int line = r.line();
        switch (r.keyword()) {
            case "FROM": {
                Map<String, String> f = flags(r, "platform");
                String name = null;
                if (a.size() == 3 && a.get(1).equalsIgnoreCase("as")) {
                    name = a.get(2).toLowerCase(Locale.ROOT);
                    if (!STAGE_NAME.matcher(name).matches()) {
                        throw bad("invalid name for build stage: \"" + a.get(2)
                                + "\", name can't start with a number or contain symbols");
                    }
                } else if (a.size() != 1) {
                    throw bad("FROM requires either one or three arguments");
                }
                return new Instruction.From(line, a.get(0), name, f.get("platform"));
            }
            case "RUN":
                noFlags(r);
                if (a.isEmpty()) throw bad("RUN requires at least one argument");
                return new Instruction.Run(line, a, !r.json());
            case "CMD":
                noFlags(r);
                return new Instruction.Cmd(line, a, !r.json());
            case "ENTRYPOINT":
                noFlags(r);
                return new Instruction.Entrypoint(line, a, !r.json());
            case "SHELL":
                noFlags(r);
                if (a.isEmpty()) throw bad("SHELL requires at least one argument");
                if (!r.json()) throw bad("SHELL requires the arguments to be in JSON form");
                return new Instruction.Shell(line, a);
            case "ENV":
                noFlags(r);
                return new Instruction.Env(line, pairs("ENV", a));
            case "LABEL":
                noFlags(r);
                return new Instruction.Label(line, pairs("LABEL", a));
            case "MAINTAINER":
                noFlags(r);
                if (a.size() != 1) throw bad("MAINTAINER requires exactly one argument");
                return new Instruction.Maintainer(line, a.get(0));
            case "ARG":
                noFlags(r);
                return new Instruction.Arg(line, args(a));
            case "EXPOSE":
                noFlags(r);
                if (a.isEmpty()) throw bad("EXPOSE requires at least one argument");
                return new Instruction.Expose(line, a);
            case "WORKDIR":
                noFlags(r);
                if (a.size() != 1) throw bad("WORKDIR requires exactly one argument");
                return new Instruction.Workdir(line, a.get(0));
            case "USER":
                noFlags(r);
                if (a.size() != 1) throw bad("USER requires exactly one argument");
                return new Instruction.User(line, a.get(0));
            case "STOPSIGNAL":
                noFlags(r);
                if (a.size() != 1) throw bad("STOPSIGNAL requires exactly one argument");
                return new Instruction.StopSignal(line, a.get(0));
            case "VOLUME": {
                noFlags(r);
                if (a.isEmpty()) throw bad("VOLUME requires at least one argument");
                for (String v : a) if (v.isBlank()) throw bad("VOLUME specified can not be an empty string");
                return new Instruction.Volume(line, a.stream().map(String::strip).toList());
            }
            case "COPY", "ADD":
                return copy(r);
            case "HEALTHCHECK":
                return healthcheck(r);
            case "ONBUILD": {
                noFlags(r);
                if (r.sub() == null) throw bad("ONBUILD requires at least one argument");
                String trigger = r.sub().keyword();
                if (trigger.equals("ONBUILD")) throw bad("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                if (trigger.equals("FROM") || trigger.equals("MAINTAINER")) {
                    throw bad(trigger + " isn't allowed as an ONBUILD trigger");
                }
                parse(r.sub());
                return new Instruction.Onbuild(line, r.rest());
            }
            default:
                throw bad("unknown instruction: " + r.keyword());
        }
    }

    private static AndockException bad(String msg) {
        return AndockException.invalid(msg);
    }

    private static void noFlags(DockerfileParser.Raw r) {
        flags(r);
    }

    /** Parses {@code --name=value} flags, refusing names not in {@code allowed} and repeats. */
    private static Map<String, String> flags(DockerfileParser.Raw r, String... allowed) {
        Set<String> ok = Set.of(allowed);
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : r.flags()) {
            String body = f.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? "" : body.substring(eq + 1);
            if (!ok.contains(name)) throw bad("unknown flag: --" + name);
            if (out.containsKey(name)) throw bad("duplicate flag specified: --" + name);
            out.put(name, value);
        }
        return out;
    }

    private static List<KeyValue> pairs(String keyword, List<String> a) {
        if (a.isEmpty()) throw bad(keyword + " requires at least one argument");
        List<KeyValue> out = new ArrayList<>();
        for (int k = 0; k + 1 < a.size(); k += 2) {
            if (a.get(k).isEmpty()) throw bad(keyword + " names can not be blank");
            out.add(new KeyValue(a.get(k), a.get(k + 1)));
        }
        return out;
    }

    private static List<ArgDecl> args(List<String> a) {
        if (a.isEmpty()) throw bad("ARG requires at least one argument");
        List<ArgDecl> out = new ArrayList<>();
        for (String w : a) {
            int eq = w.indexOf('=');
            if (eq == 0) throw bad("ARG names can not be blank");
            out.add(eq < 0 ? new ArgDecl(w, null) : new ArgDecl(w.substring(0, eq), w.substring(eq + 1)));
        }
        return out;
    }

    private static Instruction copy(DockerfileParser.Raw r) {
        boolean add = r.keyword().equals("ADD");
        Map<String, String> f = add ? flags(r, "chown", "chmod", "link", "checksum", "keep-git-dir")
                : flags(r, "chown", "chmod", "from", "link");
        List<String> a = r.args();
        if (a.size() < 2) {
            throw bad(r.keyword() + " requires at least two arguments, but only one was provided. "
                    + "Destination could not be determined");
        }
        for (String s : a) {
            if (s.startsWith("<<")) throw bad("heredocs are not supported");
        }
        String from = f.get("from");
        if (from != null && from.isEmpty()) throw bad("--from requires a value");
        return new Instruction.Copy(r.line(), add, a.subList(0, a.size() - 1), a.get(a.size() - 1), from,
                emptyToNull(f.get("chown")), emptyToNull(f.get("chmod")), emptyToNull(f.get("checksum")));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instruction healthcheck(DockerfileParser.Raw r) {
        List<String> a = r.args();
        if (a.isEmpty()) throw bad("HEALTHCHECK requires at least one argument");
        String type = a.get(0).toUpperCase(Locale.ROOT);
        List<String> rest = a.subList(1, a.size());
        if (type.equals("NONE")) {
            if (!rest.isEmpty()) throw bad("HEALTHCHECK NONE takes no arguments");
            flags(r);
            return new Instruction.Healthcheck(r.line(), List.of("NONE"), 0, 0, 0, 0, 0);
        }
        Map<String, String> f = flags(r, "interval", "timeout", "start-period", "start-interval", "retries");
        if (!type.equals("CMD")) throw bad("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        if (rest.isEmpty()) throw bad("Missing command after HEALTHCHECK CMD");
        List<String> test = new ArrayList<>();
        test.add(r.json() ? "CMD" : "CMD-SHELL");
        test.addAll(rest);
        int retries = 0;
        String rv = f.get("retries");
        if (rv != null && !rv.isEmpty()) {
            try {
                retries = Integer.parseInt(rv);
            } catch (NumberFormatException e) {
                throw bad("invalid --retries value \"" + rv + "\"");
            }
            if (retries < 0) throw bad("--retries cannot be negative (" + retries + ")");
        }
        return new Instruction.Healthcheck(r.line(), test, interval(f, "interval"), interval(f, "timeout"),
                interval(f, "start-period"), interval(f, "start-interval"), retries);
    }

    private static long interval(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null || v.isEmpty()) return 0;
        long d = GoDuration.parse(v);
        if (d != 0 && d < MIN_DURATION) throw bad("Interval \"" + name + "\" cannot be less than 1ms");
        return d;
    }
}
