package io.andock.cli;

import io.andock.AndockException;
import io.andock.builder.BuildOptions;
import io.andock.builder.BuildRequest;
import io.andock.image.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "build", description = "Build an image from a Dockerfile (classic builder semantics).")
final class BuildCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "The build context directory.")
    Path context;

    @Option(names = "--cache-from", paramLabel = "IMAGE", description = "Take cached steps only from these local images.")
    List<String> cacheFrom = new java.util.ArrayList<>();

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: PATH/Dockerfile); may be outside the context.")
    Path file;

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "A build arg; KEY alone takes the value from the environment.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "HOST:IP", description = "Add a line to /etc/hosts of every RUN step.")
    List<String> addHosts = new java.util.ArrayList<>();
    @Option(names = "--label", paramLabel = "KEY[=VALUE]", description = "Set a label on the image (repeatable); KEY alone sets it empty.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build up to this stage.")
    String target;

    @Option(names = "--no-cache", description = "Do not use the build cache.")
    boolean noCache;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Build for this platform (RUN through proot + qemu-user when foreign).")
    String platform;

    @Option(names = "--layer-compression", paramLabel = "gzip|zstd", description = "Compression of new layers (default gzip).")
    String compression = "gzip";

    @Option(names = {"-q", "--quiet"}, description = "Print only the image ID.")
    boolean quiet;

    @Override
    protected int call(Cli cli) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq < 0) args.put(a, System.getenv(a));
            else args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq < 0) labelMap.put(l, "");
            else labelMap.put(l.substring(0, eq), l.substring(eq + 1));
        }
        BuildRequest.Compression c = switch (compression.toLowerCase(java.util.Locale.ROOT)) {
            case "gzip" -> BuildRequest.Compression.GZIP;
            case "zstd" -> BuildRequest.Compression.ZSTD;
            default -> throw AndockException.invalid("--layer-compression: gzip or zstd, not " + compression);
        };
        Platform target = platform == null ? null : Platform.parse(platform);
        BuildOptions options = BuildOptions.defaults().withBuildArgs(args).withTarget(this.target)
                .withPlatforms(target, null).withExtraHosts(addHosts);
        BuildRequest req = new BuildRequest(context.toAbsolutePath().normalize(),
                file == null ? null : file.toAbsolutePath().normalize(), tags, options, noCache, c, cli.driver(), quiet,
                labelMap, cacheFrom);
        cli.out().flush();
        OutputStream out = new OutputStream() { // RUN output and progress, as text on the command's stdout
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                cli.out().write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                cli.out().flush();
            }
        };
        cli.engine().images().build(req, out);
        return 0;
    }
}
