package io.andock.snapshot;

import io.andock.image.Digest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link LayerApplier#apply} did.
 *
 * @param diffId           sha256 of the whole uncompressed stream consumed, end-of-archive blocks and anything after
 *                         them included: the caller compares it with the image config's diff_id
 * @param bytes            uncompressed bytes consumed
 * @param entries          tar entries read (whiteouts included)
 * @param warnings         things skipped or approximated (device nodes when unprivileged, fifos without mkfifo…)
 * @param hardlinkCopies   hardlinks written as copies because the filesystem refused {@code link()}
 * @param ownership        unprivileged only: owner and mode of each entry, by rootfs-relative path ({@code usr/bin/su}),
 *                         for a driver that fakes ownership (proot); empty when privileged
 * @param xattrsNotApplied extended attributes that could not be set (everything outside {@code user.*}, e.g.
 *                         {@code security.capability}), by path, values as raw bytes
 */
public record ApplyResult(Digest diffId, long bytes, long entries, List<String> warnings, long hardlinkCopies,
                          Map<String, Ownership> ownership, Map<String, Map<String, byte[]>> xattrsNotApplied) {

    /** Owner and mode bits ({@code 07777}) of an entry as the archive gives them. */
    public record Ownership(long uid, long gid, int mode) {}

    public ApplyResult {
        warnings = List.copyOf(warnings);
        ownership = Collections.unmodifiableMap(new LinkedHashMap<>(ownership));
        xattrsNotApplied = Collections.unmodifiableMap(new LinkedHashMap<>(xattrsNotApplied));
    }
}
