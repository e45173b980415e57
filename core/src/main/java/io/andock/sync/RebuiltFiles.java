package io.andock.sync;

import io.andock.tar.TarEntry;
import io.andock.tar.TarReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regular files of a layer tar that {@link LayerSync} rebuilt and verified, with the sha256 each one's data was
 * checked against during the rebuild: so the new snapshot's list of held files is made without hashing it again.
 * A file counts only when its data starts exactly at the offset where the rebuild wrote a content of its size (a
 * recipe that cut the tar elsewhere names no file). Also the paths the layer shadows in the layers below it (any
 * entry, whiteouts, opaque directories as {@code dir/}).
 *
 * @param files   rootfs-relative path → the content checked there, later entries winning
 * @param removed paths whose lower-layer files are gone or hidden; {@code dir/}: everything under dir
 */
public record RebuiltFiles(Map<String, TarRecipe.Content> files, List<String> removed) {

    /** Reads the headers of the verified {@code tar}; {@code byOffset}: each content the rebuild wrote, by offset. */
    static RebuiltFiles read(Path tar, Map<Long, TarRecipe.Content> byOffset) throws IOException {
        Map<String, TarRecipe.Content> files = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
            TarReader r = new TarReader(in, Files.size(tar));
            for (TarEntry e; (e = r.next()) != null; ) {
                String rel = relative(e.name());
                if (rel == null) continue;
                int slash = rel.lastIndexOf('/');
                String base = rel.substring(slash + 1), dir = slash < 0 ? "" : rel.substring(0, slash + 1);
                if (base.equals(".wh..wh..opq")) {
                    removed.add(dir);
                    continue;
                }
                if (base.startsWith(".wh.")) {
                    String gone = dir + base.substring(4);
                    files.remove(gone);
                    removed.add(gone);
                    removed.add(gone + "/");
                    continue;
                }
                files.remove(rel);
                removed.add(rel);
                if (e.type() != TarEntry.Type.DIRECTORY) removed.add(rel + "/");
                TarRecipe.Content c = byOffset.get(r.dataOffset());
                if (e.type() == TarEntry.Type.FILE && e.size() > 0 && c != null && c.size() == e.size()) files.put(rel, c);
            }
        }
        return new RebuiltFiles(files, removed);
    }

    /** The name as a plain rootfs-relative path, or null for one the list leaves out (.., tabs, newlines, the root). */
    private static String relative(String name) {
        StringBuilder b = new StringBuilder();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..") || c.indexOf('\t') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\0') >= 0) return null;
            if (b.length() > 0) b.append('/');
            b.append(c);
        }
        return b.length() == 0 ? null : b.toString();
    }
}
