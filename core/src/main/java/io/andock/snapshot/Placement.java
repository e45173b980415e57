package io.andock.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Where entries go. A layer: names from the root, whiteouts honoured. A plain archive ({@code docker cp}): names
 * below {@code base} (the extraction directory, already resolved inside the root; {@code ..} may not climb out
 * of it, hardlink targets are below it too), no whiteouts, a directory never replaced by a non-directory nor the
 * reverse (Docker's NoOverwriteDirNonDir), owners 0:0 unless {@code keepOwners}.
 */
record Placement(List<String> base, boolean plain, boolean keepOwners) {
    static final Placement LAYER = new Placement(List.of(), false, true);

    Placement {
        base = List.copyOf(base);
    }

    List<String> under(List<String> rel) {
        if (base.isEmpty()) return rel;
        List<String> all = new ArrayList<>(base);
        all.addAll(rel);
        return all;
    }
}
