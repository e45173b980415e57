package io.andock.registry;

import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.Json;
import io.andock.transfer.CopyOptions;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageCopier;
import io.andock.transfer.ImageSource;
import io.andock.transfer.TransferListener;
import io.andock.transfer.archive.OciLayout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared bits of the push tests: fixture layouts as sources, the copy, a recording listener, skopeo checks. */
final class PushFixture {
    private PushFixture() {
    }

    /** A fixture OCI layout image, e.g. {@code layout("busybox", "multiarch")}. */
    static ImageSource layout(String layout, String tag) {
        return OciLayout.source(Fixtures.layout(layout), tag);
    }

    /** Copies every platform (a push sends the whole index). The copier itself reports nothing: the destination does. */
    static CopyResult push(RegistryClient client, ImageSource source, Reference to, PushOptions options) {
        return ImageCopier.copy(source, client.destination(to, options), new CopyOptions(null, true, 3, TransferListener.NONE, null));
    }

    /** {@code skopeo inspect --raw}: the manifest bytes the registry serves for {@code ref}, and their digest. */
    static Digest skopeoDigest(String ref, String creds) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
        if (creds != null) cmd.addAll(List.of("--creds", creds));
        cmd.add("docker://" + ref);
        String raw = Cmd.run(cmd);
        return Digest.sha256(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code skopeo inspect} (the platform image's JSON): its {@code Digest} field. */
    static String skopeoInspectDigest(String ref) {
        Map<String, Object> o = Json.parseObject(Cmd.run("skopeo", "inspect", "--tls-verify=false", "docker://" + ref));
        return (String) o.get("Digest");
    }

    /** {@code skopeo copy [--all] docker://ref oci:dir:back}; the digest index.json gives the copy. */
    static String skopeoCopyBack(String ref, Path dir, boolean all) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "-q", "--src-tls-verify=false"));
        if (all) cmd.add("--all");
        cmd.add("docker://" + ref);
        cmd.add("oci:" + dir + ":back");
        Cmd.run(cmd);
        List<Map<String, Object>> ms = Json.at(Json.parse(Files.readString(dir.resolve("index.json"))), "manifests");
        return (String) ms.get(0).get("digest");
    }

    /** Records what a push reports, as Docker prints it: {@code <id>: <status>}, progress, messages. */
    static final class Events implements TransferListener {
        final List<String> statuses = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> progress = new CopyOnWriteArrayList<>();

        @Override
        public void status(String id, String status) {
            statuses.add(id + ": " + status);
        }

        @Override
        public void progress(String id, String action, long current, long total) {
            progress.add(id + ": " + action + " " + current + "/" + total);
        }

        @Override
        public void message(String text) {
            messages.add(text);
        }

        List<String> of(String id) {
            return statuses.stream().filter(s -> s.startsWith(id + ": ")).map(s -> s.substring(id.length() + 2)).toList();
        }
    }
}
