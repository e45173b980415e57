package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.image.store.ImageStore;
import io.andock.container.ImageUse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code rmi} and {@code image prune} with Docker's rules about containers (moby's image_delete.go), the one place
 * both front ends go through:
 * <ul>
 * <li>By reference: without force, the last reference of an image a container (any state) uses is refused
 *     ({@code unable to remove repository reference … (must force)}). Otherwise the reference goes; when it was the
 *     last, the image itself goes unless a container uses it: then it stays, dangling ({@code <none>}), as in
 *     Docker, and its content and snapshot with it.</li>
 * <li>By ID: a running container's image is never removed ({@code cannot be forced}); without force, neither is an
 *     image referenced in several repositories nor one a stopped container uses ({@code must be forced}).</li>
 * <li>Prune skips every image a container uses.</li>
 * </ul>
 * Checks and record changes happen under the image store's lock; containers are read from their store.
 */
final class ImageRemoval {
    private final ContentStore content;
    private final ImageStore images;
    private final Gc gc;
    private final Supplier<List<ImageUse>> containers;

    ImageRemoval(ContentStore content, ImageStore images, Gc gc, Supplier<List<ImageUse>> containers) {
        this.content = content;
        this.images = images;
        this.gc = gc;
        this.containers = containers;
    }

    /** {@code rmi}: {@code img} is what {@code refOrId} resolved to; returns what was untagged and deleted, in order. */
    List<ImageDeletion> remove(String refOrId, LocalImage img, boolean force) {
        Digest id = img.id();
        boolean byId = !matchedByName(refOrId, img.record()) && isIdPrefix(id, refOrId);
        List<ImageDeletion> done = new ArrayList<>();
        boolean deleted = images.update(m -> {
            List<ImageUse> users = users(id);
            List<ImageRecord> refs = named(m, id);
            if (!byId) {
                if (!force && singleReference(refs) && !users.isEmpty()) {
                    throw AndockException.conflict("conflict: unable to remove repository reference \"" + refOrId
                            + "\" (must force) - container " + users.get(0).shortId() + " is using its referenced image "
                            + id.shortHex());
                }
                m.remove(img.record().name());
                done.addAll(untags(img.record()));
                if (!named(m, id).isEmpty()) return false;
                if (!users.isEmpty()) { // Docker keeps a used image, untagged
                    String dn = img.record().target().digest().toString();
                    m.put(dn, img.record().withName(dn, java.time.Instant.now()));
                    return false;
                }
            } else {
                if (singleReference(refs)) {
                    refuseIfUsed(id, users, force, List.of());
                    for (ImageRecord r : refs) {
                        m.remove(r.name());
                        done.addAll(untags(r));
                    }
                    refs = named(m, id);
                }
                refuseIfUsed(id, users, force, refs);
            }
            for (ImageRecord r : sameImage(m, id)) {
                m.remove(r.name());
                done.addAll(untags(r));
            }
            return true;
        });
        if (deleted) {
            done.add(ImageDeletion.deleted(id.toString()));
            gc.collect();
        }
        return done;
    }

    /** Docker's order: a running container (hard), other names, a stopped container (both soft: force overrides). */
    private static void refuseIfUsed(Digest id, List<ImageUse> users, boolean force, List<ImageRecord> names) {
        Optional<ImageUse> running = users.stream().filter(ImageUse::running).findFirst();
        if (running.isPresent()) {
            throw AndockException.conflict("conflict: unable to delete " + id.shortHex()
                    + " (cannot be forced) - image is being used by running container " + running.get().shortId());
        }
        if (!force && !names.isEmpty()) {
            throw AndockException.conflict("conflict: unable to delete " + id.shortHex()
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        if (!force && !users.isEmpty()) {
            throw AndockException.conflict("conflict: unable to delete " + id.shortHex()
                    + " (must be forced) - image is being used by stopped container " + users.get(0).shortId());
        }
    }

    /**
     * {@code image prune}: dangling images, or with {@code all} every image; never one a container uses, nor one
     * {@code keep} holds (the API's label filters). Then collects garbage.
     */
    PruneReport prune(boolean all, Predicate<Digest> keep) {
        Set<String> used = new HashSet<>();
        for (ImageUse u : containers.get()) used.add(u.imageId());
        Map<ImageRecord, Digest> drop = images.update(m -> {
            Map<ImageRecord, Digest> d = new LinkedHashMap<>();
            for (ImageRecord r : m.values()) {
                Digest id = idOrNull(r);
                if ((all || r.dangling()) && (id == null || !used.contains(id.toString()) && !keep.test(id))) d.put(r, id);
            }
            for (ImageRecord r : d.keySet()) m.remove(r.name());
            return d;
        });
        List<ImageDeletion> done = new ArrayList<>();
        for (ImageRecord r : drop.keySet()) done.addAll(untags(r));
        drop.values().stream().filter(java.util.Objects::nonNull).distinct().forEach(id -> done.add(ImageDeletion.deleted(id.toString())));
        PruneReport g = gc.collect();
        return new PruneReport(done, g.blobsDeleted(), g.snapshotsDeleted(), g.reclaimedBytes());
    }

    /** Containers using image {@code id} (its config digest), in any state. */
    List<ImageUse> users(Digest id) {
        return containers.get().stream().filter(u -> id.toString().equals(u.imageId())).toList();
    }

    private Digest idOrNull(ImageRecord r) {
        try {
            return LocalImage.read(content, r).id();
        } catch (AndockException e) {
            return null; // content gone: not a usable image
        }
    }

    private List<ImageRecord> sameImage(Map<String, ImageRecord> m, Digest id) {
        return m.values().stream().filter(r -> id.equals(idOrNull(r))).toList();
    }

    private List<ImageRecord> named(Map<String, ImageRecord> m, Digest id) {
        return sameImage(m, id).stream().filter(r -> !r.dangling()).toList();
    }

    private static boolean matchedByName(String refOrId, ImageRecord r) {
        if (r.dangling()) return false;
        String given = Images.tryNormalise(refOrId);
        return r.name().equals(given) || given.contains("@") && Reference.parse(r.name()).name()
                .equals(given.substring(0, given.indexOf('@')));
    }

    private static boolean isIdPrefix(Digest id, String s) {
        return id.toString().startsWith(s) || id.hex().startsWith(s);
    }

    /**
     * Whether an image's references are one: a single tag (with digest references of its own repository only), or
     * digest references of one repository. A pulled image's tag implies its digest reference.
     */
    static boolean singleReference(List<ImageRecord> refs) {
        if (refs.isEmpty()) return false;
        String tagged = null;
        Set<String> canonical = new HashSet<>();
        for (ImageRecord r : refs) {
            Reference ref = Reference.parse(r.name());
            if (ref.digest() != null || "registry".equals(r.labels().get(ImageRecord.SOURCE))) canonical.add(ref.name());
            if (ref.digest() != null) continue;
            if (tagged != null) return false;
            tagged = ref.name();
        }
        if (tagged == null) return canonical.size() == 1;
        return canonical.isEmpty() || canonical.size() == 1 && canonical.contains(tagged);
    }

    static List<ImageDeletion> untags(ImageRecord r) {
        if (r.dangling()) return List.of();
        Reference ref = Reference.parse(r.name());
        List<ImageDeletion> out = new ArrayList<>();
        out.add(ImageDeletion.untagged(ref.familiar()));
        if (ref.digest() == null && "registry".equals(r.labels().get(ImageRecord.SOURCE))) {
            out.add(ImageDeletion.untagged(ref.familiarName() + "@" + r.target().digest()));
        }
        return out;
    }
}
