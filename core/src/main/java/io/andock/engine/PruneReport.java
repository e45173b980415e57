package io.andock.engine;

import java.util.List;

/**
 * What a prune or garbage collection removed.
 *
 * @param deleted        {@code Untagged: …} and {@code Deleted: sha256:…} lines, as docker prints them
 * @param blobsDeleted   content blobs removed
 * @param snapshotsDeleted unpacked snapshots removed
 * @param reclaimedBytes bytes of blobs removed
 */
public record PruneReport(List<String> deleted, int blobsDeleted, int snapshotsDeleted, long reclaimedBytes) {
    public PruneReport {
        deleted = List.copyOf(deleted);
    }
}
