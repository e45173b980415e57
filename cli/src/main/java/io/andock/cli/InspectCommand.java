package io.andock.cli;

import io.andock.AndockException;
import io.andock.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "inspect", description = "Show low-level information on containers and images, as JSON.")
final class InspectCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "Go template, e.g. '{{.Config.Cmd}}' or '{{json .Config}}'.")
    String format;

    @Override
    protected int call(Cli cli) {
        List<Object> found = new ArrayList<>();
        int status = 0;
        for (String name : names) {
            try {
                found.add(inspect(cli, name));
            } catch (AndockException e) {
                if (e.kind() != AndockException.Kind.NOT_FOUND) throw e;
                cli.err().println("Error: No such object: " + io.andock.container.StoreNames.printable(name));
                status = 1;
            }
        }
        if (format != null) {
            Template t = new Template(format);
            for (Object o : found) {
                @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) o;
                cli.out().println(t.render(m));
            }
        } else {
            cli.out().println(Json.pretty(found, 4));
        }
        return status;
    }

    /** A container by that name or ID if there is one, else an image (docker inspect's order). */
    private Object inspect(Cli cli, String name) {
        boolean imageOnly = spec != null && spec.commandLine().getParent() != null
                && spec.commandLine().getParent().getCommandName().equals("image");   // no spec: the lean parser's top-level inspect
        if (!imageOnly) {
            try {
                return cli.engine().containers().inspect(name);
            } catch (AndockException e) {
                if (e.kind() != AndockException.Kind.NOT_FOUND) throw e;
            }
        }
        return cli.engine().images().inspect(name).toJson();
    }
}
