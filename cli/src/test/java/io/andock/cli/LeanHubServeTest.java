package io.andock.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LeanHubServe} against picocli's model of {@code hub serve}: the same options with the same kind, the same
 * fields set by the same line, and every line it does not read left to picocli.
 */
@Tag("unit")
class LeanHubServeTest {

    @Test
    void everyPicocliOptionOfServe_isInTheLeanTable_withItsKind() {
        Set<String> valued = new TreeSet<>();
        Set<String> flags = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new HubCommand.Serve()).getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            assertThat(o.names()).as("one name each").hasSize(1);
            (o.arity().max() == 0 ? flags : valued).add(o.longestName());
        }
        assertThat(valued).containsExactlyInAnyOrderElementsOf(LeanHubServe.VALUED);
        assertThat(flags).containsExactlyInAnyOrderElementsOf(LeanHubServe.FLAGS);
    }

    @Test
    void aFullLine_setsWhatPicocliSets() {
        List<String> opts = List.of("--addr", "0.0.0.0:5000", "--config=/etc/hub.json", "--tls-cert", "/c.pem", "--tls-key=/k.pem",
                "--htpasswd", "/h", "--anonymous-pull", "--plain-http", "--sparse-manifests", "--upstream", "docker.io=https://r",
                "--upstream=ghcr.io=https://ghcr.io");
        List<String> line = new ArrayList<>(List.of("--root", "/r", "--log-level=debug", "hub", "serve"));
        line.addAll(opts);
        LeanCommandLine.Parsed p = LeanHubServe.parse(line.toArray(String[]::new));
        assertThat(p).isNotNull();
        assertThat(p.root()).isEqualTo(Path.of("/r"));
        assertThat(p.logLevel()).isEqualTo("debug");
        HubCommand.Serve lean = (HubCommand.Serve) p.command();
        HubCommand.Serve pico = new HubCommand.Serve();
        new CommandLine(pico).parseArgs(opts.toArray(String[]::new));
        assertThat(lean.leanRoot).isEqualTo(Path.of("/r"));
        assertThat(lean).usingRecursiveComparison().comparingOnlyFields("addr", "configFile", "tlsCert", "tlsKey", "htpasswd",
                "anonymousPull", "plainHttp", "sparse", "upstreams").isEqualTo(pico);
        assertThat(lean.upstreams).containsExactly("docker.io=https://r", "ghcr.io=https://ghcr.io");
    }

    @Test
    void anythingElse_isLeftToPicocli() {
        for (String line : List.of("hub serve --help", "hub serve -h", "hub serve --bogus", "hub serve extra", "hub --root /r serve",
                "hub serve --addr", "hub serve --addr --plain-http", "hub serve --plain-http=true", "hub status", "hub",
                "--version hub serve", "--root", "run hub serve")) {
            assertThat(LeanHubServe.parse(line.split(" "))).as(line).isNull();
        }
        assertThat(LeanHubServe.parse(new String[]{"hub", "serve"})).isNotNull();
        LeanCommandLine.Parsed after = LeanHubServe.parse("hub serve --root /r2 --addr 127.0.0.1:5001 --driver=proot".split(" "));
        assertThat(after.root()).isEqualTo(Path.of("/r2"));
        assertThat(after.driver()).isEqualTo("proot");
        assertThat(((HubCommand.Serve) after.command()).leanRoot).isEqualTo(Path.of("/r2"));
    }
}
