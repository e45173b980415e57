package io.andock.cli;

import io.andock.task.ContainerTop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "top", description = "Display the running processes of a container (the host's ps; default options -ef).")
final class TopCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", paramLabel = "PS_OPTIONS", description = "Options for ps, as docker top takes them.")
    List<String> psOptions;

    @Override
    protected int call(Cli cli) {
        String args = psOptions == null ? null : String.join(" ", psOptions);
        ContainerTop.Table t = cli.engine().containers().top(container, args);
        Table table = new Table(t.titles().toArray(String[]::new));
        for (List<String> row : t.processes()) {
            String[] cells = new String[t.titles().size()];
            for (int i = 0; i < cells.length && i < row.size(); i++) cells[i] = row.get(i);
            table.row(cells);
        }
        table.print(cli.out());
        return 0;
    }
}
