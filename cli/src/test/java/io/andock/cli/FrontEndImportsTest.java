package io.andock.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house rule that front ends (this CLI and the API daemon) call the engine's façades ({@code io.andock.engine})
 * and never its insides: of the core they may name only the façades, JSON, the error type and the values the
 * façades take and give. A store, a service, the layer applier or a driver named from a front end fails here,
 * whether imported or written out in full.
 */
@Tag("unit")
class FrontEndImportsTest {
    /** Core packages a front end may use whole. */
    private static final Set<String> OPEN_PACKAGES = Set.of("io.andock.engine", "io.andock.json", "io.andock.tls",
            "io.andock.follow"); // following tags: a room above the engine, itself a client of the façades

    /** Other modules' rooms the CLI fronts (the hub server, the adb client), none of them the engine's insides. */
    private static final List<String> OTHER_FRONTED = List.of("io.andock.hub.", "io.andock.adb.");

    /** Values (and value-like handles) the façades take and give, in the rooms that define them. */
    private static final Set<String> VALUES = Set.of(
            "io.andock.AndockException", "io.andock.Trace",
            "io.andock.image.Platform", "io.andock.image.Reference", "io.andock.image.Digest",
            "io.andock.container.ContainerSpec", "io.andock.container.ContainerView", "io.andock.container.ContainerRecord",
            "io.andock.container.ContainerState", "io.andock.container.ListOptions", "io.andock.container.MountSpec",
            "io.andock.container.PortBinding", "io.andock.container.Resources", "io.andock.container.RestartPolicy",
            "io.andock.container.SecurityOptions", "io.andock.container.ExecFailure", "io.andock.container.StoreNames",
            "io.andock.task.Attach", "io.andock.task.ExecSpec", "io.andock.task.LogOptions", "io.andock.task.ExitWaiter",
            "io.andock.task.DetachKeys", "io.andock.container.Healthcheck", "io.andock.container.LogConfig", "io.andock.container.Link", "io.andock.container.HealthStatus",
            "io.andock.dockerfile.GoDuration",
            // for their nested values only (ContainerEditor.Update, ContainerTop.Table): both are made by the task room
            "io.andock.task.ContainerEditor", "io.andock.task.ContainerTop",
            "io.andock.task.Pty",
            "io.andock.transfer.TransferListener", "io.andock.builder.BuildRequest", "io.andock.builder.BuildOptions",
            "io.andock.builder.BuildResult", "io.andock.builder.RunStderrSink", "io.andock.host.HostReport", "io.andock.driver.ProotCheck",
            "io.andock.net.UserNetwork", "io.andock.net.NetworkRequest", "io.andock.net.Endpoint", "io.andock.net.NetworkMember");

    private static final Pattern CORE_NAME = Pattern.compile("\\b(io\\.andock\\.(?:[a-z]+\\.)*[A-Z][A-Za-z0-9]*)");

    @Test
    void frontEnds_nameOnlyTheFacadesAndTheirValues() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path src : List.of(Path.of("src/main/java"), Path.of("../daemon/src/main/java"))) {
            assertThat(src).isDirectory();
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(f);
                    Matcher m = CORE_NAME.matcher(text);
                    while (m.find()) {
                        String name = m.group(1);
                        if (!allowed(name)) offences.add(src.relativize(f) + ": " + name);
                    }
                }
            }
        }
        assertThat(offences).as("core insides named by a front end").isEmpty();
    }

    @Test
    void theRuleCatchesAnInside() {
        assertThat(allowed("io.andock.task.ContainerService")).isFalse();
        assertThat(allowed("io.andock.container.ContainerStore")).isFalse();
        assertThat(allowed("io.andock.snapshot.LayerApplier")).isFalse();
        assertThat(allowed("io.andock.engine.Containers")).isTrue();
        assertThat(allowed("io.andock.daemon.http.Exchange")).isTrue();
    }

    private static boolean allowed(String name) {
        if (name.startsWith("io.andock.cli.") || name.startsWith("io.andock.daemon.")) return true;
        if (OTHER_FRONTED.stream().anyMatch(name::startsWith)) return true;
        String pkg = name.substring(0, name.lastIndexOf('.'));
        return OPEN_PACKAGES.contains(pkg) || VALUES.contains(name);
    }
}
