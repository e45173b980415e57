package io.andock.daemon.wire;

import io.andock.AndockException;
import io.andock.daemon.backend.ImageBackend;
import io.andock.engine.ImageDetails;
import io.andock.engine.ImageSummary;
import io.andock.image.Digest;
import io.andock.json.JsonObject;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An ImageBackend over a list of summaries: list and inspect answer, everything else is unsupported. */
public final class FakeImages {
    private FakeImages() {
    }

    public static Digest id(int n) {
        return Digest.parse("sha256:" + Integer.toString(n).repeat(64).substring(0, 64));
    }

    public static ImageDetails details(Digest id, List<String> tags, String labelsJson) {
        JsonObject config = JsonObject.parse(("{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"Labels\":" + labelsJson + "}")
                .getBytes(StandardCharsets.UTF_8));
        return new ImageDetails(id, tags, List.of(), "2024-05-01T10:00:00.123456789Z", "", "amd64", "", "linux", 4_000_000,
                config, List.of(id), null, id, id, "");
    }

    /** {@code summaries} as the engine lists them (one per tag); {@code details} by image ID. */
    public static ImageBackend of(List<ImageSummary> summaries, Map<Digest, ImageDetails> details) {
        return (ImageBackend) Proxy.newProxyInstance(ImageBackend.class.getClassLoader(), new Class<?>[]{ImageBackend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "list" -> new ArrayList<>(summaries);
                    case "inspect" -> {
                        String ref = (String) args[0];
                        for (ImageDetails d : details.values()) {
                            if (d.id().toString().equals(ref) || d.repoTags().contains(ref)) yield d;
                        }
                        throw AndockException.notFound("No such image: " + ref);
                    }
                    case "containerCounts" -> Map.of();
                    case "history" -> {
                        String ref = (String) args[0];
                        for (ImageDetails d : details.values()) {
                            if (d.id().toString().equals(ref) || d.repoTags().contains(ref)) yield List.of();
                        }
                        throw AndockException.notFound("No such image: " + ref);
                    }
                    case "pull" -> { // "midway" fails after the first progress line, anything else before it
                        if (((String) args[0]).contains("midway")) {
                            ((io.andock.transfer.TransferListener) args[2]).status("0123456789ab", "Pulling fs layer");
                            throw new AndockException(AndockException.Kind.UNAVAILABLE, "connection reset");
                        }
                        throw AndockException.notFound("manifest unknown: " + args[0]);
                    }
                    case "toString" -> "FakeImages";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> throw new AndockException(AndockException.Kind.UNSUPPORTED, method.getName() + " not in the fake");
                });
    }

    public static ImageSummary summary(String repo, String tag, Digest digest, Digest id, long epoch) {
        return new ImageSummary(repo, tag, digest, id, Instant.ofEpochSecond(epoch), 4_000_000);
    }
}
