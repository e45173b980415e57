package io.andock.engine;

import io.andock.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code docker history}: the image config's {@code history}, newest first, each step with the size of the layer it
 * made (0 for an {@code empty_layer} step). Only the newest step is known by an image ID and the image's tags; the
 * steps below it are "{@code <missing>}", as in Docker for a pulled image (andock keeps no parent images). An image
 * without a history (some imports) shows one step per layer. Sizes are the stored (compressed) layer sizes, as
 * {@code images} shows them.
 */
public final class ImageHistory {
    /** One step; {@code created} in epoch seconds (0 when unknown), {@code tags} empty below the newest. */
    public record Step(String id, long created, String createdBy, List<String> tags, long size, String comment) {
        public Step {
            tags = List.copyOf(tags);
        }
    }

    private ImageHistory() {}

    static List<Step> of(LocalImage img, List<String> tags) {
        var layers = img.manifest().layers();
        List<JsonObject> history = img.config().json().has("history") ? img.config().json().objects("history") : List.of();
        List<Step> steps = new ArrayList<>();
        int layer = 0;
        if (history.isEmpty()) {
            for (var l : layers) steps.add(new Step("<missing>", epoch(img.config().created()), "", List.of(), l.size(), ""));
        } else {
            for (JsonObject h : history) {
                long size = 0;
                if (!h.bool("empty_layer") && layer < layers.size()) size = layers.get(layer++).size();
                steps.add(new Step("<missing>", epoch(h.string("created")), h.string("created_by", ""), List.of(), size,
                        h.string("comment", "")));
            }
        }
        Collections.reverse(steps);
        if (!steps.isEmpty()) {
            Step top = steps.get(0);
            steps.set(0, new Step(img.id().toString(), top.created(), top.createdBy(), tags, top.size(), top.comment()));
        }
        return steps;
    }

    static long epoch(String iso) {
        if (iso == null || iso.isEmpty()) return 0;
        try {
            return java.time.OffsetDateTime.parse(iso).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }
}
