package io.andock.cli;

import io.andock.engine.ImageSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Command(name = "images", description = "List images.")
final class ImagesCommand extends EngineCommand {
    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String filter;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = {"-a", "--all"}, description = "Show all images (accepted for compatibility; andock has no intermediate images).")
    boolean all;

    @Option(names = "--digests", description = "Show digests.")
    boolean digests;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "FORMAT", description = "'table', 'json' or a Go template such as '{{.Repository}}:{{.Tag}}'.")
    String format;

    @Override
    protected int call(Cli cli) {
        List<ImageSummary> images = cli.engine().images().list();
        Instant now = Instant.now();
        if (quiet) {
            Set<String> ids = new LinkedHashSet<>();
            for (ImageSummary i : images) if (matches(i)) ids.add(id(i));
            ids.forEach(cli.out()::println);
            return 0;
        }
        if (format != null && !format.equals("table")) {
            Template t = new Template(format);
            if (t.table) cli.out().println(t.header());
            for (ImageSummary i : images) if (matches(i)) cli.out().println(t.render(row(i, now)));
            return 0;
        }
        Table table = digests ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (ImageSummary i : images) {
            if (!matches(i)) continue;
            String created = Units.ago(i.created(), now);
            String size = Units.humanSize(i.size());
            String digest = i.digest() == null ? "<none>" : i.digest().toString();
            if (digests) table.row(i.repository(), i.tag(), digest, id(i), created, size);
            else table.row(i.repository(), i.tag(), id(i), created, size);
        }
        table.print(cli.out());
        return 0;
    }

    private String id(ImageSummary i) {
        return noTrunc ? i.id().toString() : i.id().shortHex();
    }

    private boolean matches(ImageSummary i) {
        if (filter == null) return true;
        int c = filter.lastIndexOf(':');
        if (c > filter.lastIndexOf('/')) {
            return i.repository().equals(filter.substring(0, c)) && i.tag().equals(filter.substring(c + 1));
        }
        return i.repository().equals(filter);
    }

    /** The fields of docker's {@code images --format json}. */
    private Map<String, Object> row(ImageSummary i, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Containers", "N/A");
        m.put("CreatedAt", i.created() == null ? "" : DockerTime.local(i.created()));
        m.put("CreatedSince", Units.ago(i.created(), now));
        m.put("Digest", i.digest() == null ? "<none>" : i.digest().toString());
        m.put("ID", id(i));
        m.put("Repository", i.repository());
        m.put("SharedSize", "N/A");
        m.put("Size", Units.humanSize(i.size()));
        m.put("Tag", i.tag());
        m.put("UniqueSize", "N/A");
        m.put("VirtualSize", Units.humanSize(i.size()));
        return m;
    }
}
