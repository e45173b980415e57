package io.andock.cli;

import io.andock.engine.ImageHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "history", description = "Show the history of an image.")
final class HistoryCommand extends EngineCommand {
    @Option(names = {"-H", "--human"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print sizes and dates in human readable format (default true).")
    boolean human;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "FORMAT", description = "'table', 'json' or a Go template such as '{{.ID}} {{.CreatedBy}}'.")
    String format;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Override
    protected int call(Cli cli) {
        Instant now = Instant.now();
        var steps = cli.engine().images().history(image);
        if (quiet) {
            steps.forEach(s -> cli.out().println(id(s)));
            return 0;
        }
        if (format != null && !format.equals("table")) {
            Template t = new Template(format);
            if (t.table) cli.out().println(t.header());
            for (ImageHistory.Step s : steps) cli.out().println(t.render(row(s, now)));
            return 0;
        }
        Table table = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
        for (ImageHistory.Step s : steps) {
            Map<String, Object> r = row(s, now);
            table.row((String) r.get("ID"), (String) r.get("CreatedSince"), (String) r.get("CreatedBy"),
                    (String) r.get("Size"), (String) r.get("Comment"));
        }
        table.print(cli.out());
        return 0;
    }

    private String id(ImageHistory.Step s) {
        if (noTrunc || s.id().startsWith("<")) return s.id();
        String hex = s.id().startsWith("sha256:") ? s.id().substring(7) : s.id();
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** The fields of docker's {@code history --format json}. */
    private Map<String, Object> row(ImageHistory.Step s, Instant now) {
        Instant created = s.created() == 0 ? null : Instant.ofEpochSecond(s.created());
        String by = s.createdBy().replace("\t", " ").replace("\n", " ");
        if (!noTrunc && by.codePointCount(0, by.length()) > 45) by = by.substring(0, by.offsetByCodePoints(0, 44)) + "…";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Comment", s.comment());
        m.put("CreatedAt", created == null ? "" : DockerTime.local(created));
        m.put("CreatedBy", by);
        m.put("CreatedSince", human ? Units.ago(created, now) : created == null ? "" : DockerTime.local(created));
        m.put("ID", id(s));
        m.put("Size", human ? Units.humanSize(s.size()) : Long.toString(s.size()));
        return m;
    }
}
