package io.andock.image;

import io.andock.AndockException;
import io.andock.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** An OCI image index or Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) {

    public ImageIndex {
        manifests = List.copyOf(manifests);
    }

    public static ImageIndex parse(byte[] raw, String contentType) {
        JsonObject o = JsonObject.parse(raw);
        String mt = o.string("mediaType", contentType);
        if (mt == null || mt.isEmpty()) mt = MediaTypes.OCI_INDEX;
        if (!o.has("manifests")) throw AndockException.invalid("index has no manifests");
        List<Descriptor> ms = new ArrayList<>();
        for (JsonObject d : o.objects("manifests")) ms.add(Descriptor.fromJson(d));
        return new ImageIndex(mt, ms);
    }

    /** Whether raw manifest bytes are an index, judged from the content type or, failing that, the document. */
    public static boolean isIndex(byte[] raw, String contentType) {
        if (MediaTypes.isIndex(contentType)) return true;
        if (MediaTypes.isManifest(contentType)) return false;
        JsonObject o = JsonObject.parse(raw);
        return MediaTypes.isIndex(o.string("mediaType")) || o.has("manifests");
    }

    /**
     * The manifest that best fits {@code wanted}; a not-found error listing what the index offers when none runs there.
     * Entries without a platform, and attestation manifests ({@code unknown/unknown}), never match.
     */
    public Descriptor select(Platform wanted) {
        Descriptor best = null;
        int bestScore = 0;
        for (Descriptor d : manifests) {
            int s = wanted.score(d.platform());
            if (s > bestScore) {
                best = d;
                bestScore = s;
            }
        }
        if (best == null) {
            List<String> offered = new ArrayList<>();
            for (Descriptor d : manifests) if (d.platform() != null) offered.add(d.platform().toString());
            throw AndockException.notFound("no matching manifest for " + wanted + " in the manifest list entries (offered: "
                    + String.join(", ", offered) + ")");
        }
        return best;
    }
}
