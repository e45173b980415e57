package io.andock.transfer.archive;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.json.JsonObject;
import io.andock.transfer.ImageSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/}) in a directory or a tar. */
public final class OciLayout {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    public static final String CONTAINERD_NAME = "io.containerd.image.name";

    private OciLayout() {
    }

    /** The image of a layout directory named {@code ref} (a ref.name annotation), or its only image when null. */
    public static ImageSource source(Path dir, String ref) {
        return source(ArchiveFiles.directory(dir), "oci:" + dir + (ref == null ? "" : ":" + ref), ref);
    }

    static ImageSource source(ArchiveFiles files, String describe, String ref) {
        List<Descriptor> all = entries(files);
        List<Descriptor> hits = new ArrayList<>();
        for (Descriptor d : all) {
            if (ref == null || ref.equals(d.annotations().get(REF_NAME)) || ref.equals(d.annotations().get(CONTAINERD_NAME))) {
                hits.add(d);
            }
        }
        if (hits.isEmpty()) throw AndockException.notFound(describe + ": no image" + (ref == null ? "" : " named " + ref));
        if (hits.size() > 1) throw AndockException.invalid(describe + ": several images, name one");
        return new LayoutSource(files, describe, hits.get(0));
    }

    /** The descriptors of index.json. */
    public static List<Descriptor> entries(ArchiveFiles files) {
        if (files.size("oci-layout").isEmpty()) throw AndockException.invalid("not an OCI layout: no oci-layout file");
        List<Descriptor> out = new ArrayList<>();
        for (JsonObject o : JsonObject.parse(files.read("index.json", 4 << 20)).objects("manifests")) {
            out.add(Descriptor.fromJson(o));
        }
        return out;
    }
}
