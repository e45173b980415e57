package io.andock.cli;

import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import io.andock.container.MountSpec;
import io.andock.engine.ImageSummary;
import io.andock.engine.Engine;
import io.andock.image.Digest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Command(name = "df", description = "Show andock disk usage: images, containers, local volumes, build cache.")
final class SystemDfCommand extends EngineCommand {
    @Option(names = "--format", paramLabel = "FORMAT", description = "'table', 'json' or a Go template such as '{{.Type}} {{.Size}}'.")
    String format;

    /** One line of the summary, the fields of docker's {@code system df --format json}. */
    record Usage(String type, int total, int active, long size, long reclaimable) {
        Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Active", Integer.toString(active));
            m.put("Reclaimable", Units.humanSize(reclaimable) + (size > 0 ? " (" + (reclaimable * 100 / size) + "%)" : ""));
            m.put("Size", Units.humanSize(size));
            m.put("TotalCount", Integer.toString(total));
            m.put("Type", type);
            return m;
        }
    }

    @Override
    protected int call(Cli cli) {
        List<Usage> rows = usage(cli.engine());
        if (format != null && !format.equals("table")) {
            Template t = new Template(format);
            if (t.table) cli.out().println(t.header());
            for (Usage u : rows) cli.out().println(t.render(u.fields()));
            return 0;
        }
        Table table = new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
        for (Usage u : rows) {
            Map<String, Object> f = u.fields();
            table.row(u.type(), (String) f.get("TotalCount"), (String) f.get("Active"), (String) f.get("Size"), (String) f.get("Reclaimable"));
        }
        table.print(cli.out());
        return 0;
    }

    static List<Usage> usage(Engine engine) {
        Map<Digest, Long> images = new LinkedHashMap<>();
        for (ImageSummary s : engine.images().list()) images.put(s.id(), s.size());
        Set<Digest> used = engine.images().containerCounts().keySet();
        long imageSize = 0, imageFree = 0;
        for (var e : images.entrySet()) {
            imageSize += e.getValue();
            if (!used.contains(e.getKey())) imageFree += e.getValue();
        }
        List<ContainerView> containers = engine.containers().list(ListOptions.ALL);
        long rw = 0, rwFree = 0;
        int running = 0;
        Set<String> volumesInUse = new HashSet<>();
        for (ContainerView v : containers) {
            long size = sizeRw(engine, v.id());
            rw += size;
            if (v.state().running()) running++;
            else rwFree += size;
            for (MountSpec m : v.record().mounts()) if (m.type().equals(MountSpec.VOLUME)) volumesInUse.add(m.source());
        }
        long volSize = 0, volFree = 0;
        List<String> volumes = engine.containers().volumes().list();
        for (String name : volumes) {
            long size = engine.containers().volumes().sizeBytes(name);
            volSize += size;
            if (!volumesInUse.contains(name)) volFree += size;
        }
        List<Usage> out = new ArrayList<>();
        out.add(new Usage("Images", images.size(), (int) images.keySet().stream().filter(used::contains).count(), imageSize, imageFree));
        out.add(new Usage("Containers", containers.size(), running, rw, rwFree));
        out.add(new Usage("Local Volumes", volumes.size(), (int) volumes.stream().filter(volumesInUse::contains).count(), volSize, volFree));
        out.add(new Usage("Build Cache", 0, 0, 0, 0));
        return out;
    }

    private static long sizeRw(Engine engine, String id) {
        try {
            return engine.containerSnapshots().sizeRw(id);
        } catch (io.andock.AndockException e) {
            return 0; // removed meanwhile
        }
    }
}
