package io.andock.engine;

import java.util.List;

/**
 * What a prune or garbage collection removed.
 *
 * @param deleted        what was untagged and deleted, in order
 * @param blobsDeleted   content blobs removed
 * @param snapshotsDeleted unpacked snapshots removed
 * @param reclaimedBytes bytes of blobs removed
 */
public record PruneReport(List<ImageDeletion> deleted, int blobsDeleted, int snapshotsDeleted, long reclaimedBytes) {
    public PruneReport {
        deleted = List.copyOf(deleted);
    }
}
