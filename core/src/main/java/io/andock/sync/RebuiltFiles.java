package io.andock.sync;

import io.andock.tar.TarEntry;
import io.andock.tar.TarReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * Reads the headers of the tar that {@code recipe} (decompressed) rebuilt ({@code length} bytes, its sha256 the diff_id) from
     * the recipe alone: the literals are the tar's own bytes at the same offsets, and a header read that would touch
     * a content's bytes (a recipe that cut the tar elsewhere) gives up (null is then the caller's answer). So the
     * entries are exactly those of the tar. {@code byOffset}: each content the rebuild wrote, by offset.
     */
    static RebuiltFiles read(byte[] recipe, long length, Map<Long, TarRecipe.Content> byOffset) throws IOException {
        Map<String, TarRecipe.Content> files = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        try (InputStream in = new LiteralsOnly(new TarRecipe.Reader(new ByteArrayInputStream(recipe)))) {
            TarReader r = new TarReader(in, length);
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

    /** The tar as the recipe describes it: literal bytes can be read, contents only skipped. */
    private static final class LiteralsOnly extends InputStream {
        private final TarRecipe.Reader ops;
        private byte[] literal;
        private int pos;
        private long contentLeft;

        LiteralsOnly(TarRecipe.Reader ops) {
            this.ops = ops;
        }

        /** False at the end; else positioned on a literal byte or inside a content. */
        private boolean ready() throws IOException {
            while ((literal == null || pos == literal.length) && contentLeft == 0) {
                TarRecipe.Op op = ops.next();
                if (op == null) return false;
                if (op instanceof TarRecipe.Literal l) {
                    literal = l.bytes();
                    pos = 0;
                } else {
                    literal = null;
                    contentLeft = ((TarRecipe.Content) op).size();
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!ready()) return -1;
            if (contentLeft > 0) throw new IOException("a header within a content");
            int n = Math.min(len, literal.length - pos);
            System.arraycopy(literal, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long done = 0;
            while (done < n && ready()) {
                long step;
                if (contentLeft > 0) {
                    step = Math.min(n - done, contentLeft);
                    contentLeft -= step;
                } else {
                    step = Math.min(n - done, literal.length - pos);
                    pos += (int) step;
                }
                done += step;
            }
            return done;
        }
    }
}
