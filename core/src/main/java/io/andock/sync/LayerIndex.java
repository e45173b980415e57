package io.andock.sync;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import io.andock.AndockException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer's file index and recipe, as the hub keeps them (made once per layer, by {@link TarScanner}).
 *
 * @param diffId   sha256 of the uncompressed tar (32 bytes)
 * @param entries  every entry, archive order
 * @param recipe   the {@link TarRecipe}, zstd-compressed, exactly as it is sent to devices
 */
public record LayerIndex(byte[] diffId, long tarSize, List<FileEntry> entries, byte[] recipe) {
    private static final int MAGIC = 0x414e4931; // "ANI1"

    /** Scans an uncompressed tar. */
    public static LayerIndex of(InputStream tar) throws IOException, TarScanner.Unrebuildable {
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        TarScanner.Result r;
        try (ZstdOutputStream z = new ZstdOutputStream(rec)) {
            r = TarScanner.scan(tar, z, null);
        }
        return new LayerIndex(r.diffId(), r.tarSize(), r.entries(), rec.toByteArray());
    }

    /** The content references of the recipe, in order: the shas of the regular files with data. */
    public List<FileEntry> contents() {
        List<FileEntry> out = new ArrayList<>();
        for (FileEntry e : entries) if (e.regular() && e.size() > 0) out.add(e);
        return out;
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(new ZstdOutputStream(bytes))) {
                out.writeInt(MAGIC);
                out.write(diffId);
                out.writeLong(tarSize);
                out.writeInt(entries.size());
                for (FileEntry e : entries) {
                    out.writeUTF(e.path().length() > 16000 ? e.path().substring(0, 16000) : e.path());
                    out.writeChar(e.type());
                    out.writeInt(e.mode());
                    out.writeLong(e.uid());
                    out.writeLong(e.gid());
                    out.writeLong(e.size());
                    out.writeBoolean(e.sha() != null);
                    if (e.sha() != null) out.write(e.sha());
                }
                out.writeInt(recipe.length);
                out.write(recipe);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads what {@link #encode} wrote (the hub's own metadata; still bounded). */
    public static LayerIndex decode(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ZstdInputStream(new ByteArrayInputStream(b)))) {
            if (in.readInt() != MAGIC) throw AndockException.corrupt("layer index: bad magic");
            byte[] diffId = new byte[32];
            in.readFully(diffId);
            long tarSize = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > TarRecipe.MAX_OPS) throw AndockException.corrupt("layer index: " + n + " entries");
            List<FileEntry> entries = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                String path = in.readUTF();
                char type = in.readChar();
                int mode = in.readInt();
                long uid = in.readLong(), gid = in.readLong(), size = in.readLong();
                byte[] sha = null;
                if (in.readBoolean()) {
                    sha = new byte[32];
                    in.readFully(sha);
                }
                entries.add(new FileEntry(path, type, mode, uid, gid, size, sha));
            }
            int len = in.readInt();
            if (len < 0 || len > (1 << 30)) throw AndockException.corrupt("layer index: recipe of " + len + " bytes");
            byte[] recipe = in.readNBytes(len);
            if (recipe.length != len) throw AndockException.corrupt("layer index: truncated");
            return new LayerIndex(diffId, tarSize, entries, recipe);
        } catch (IOException e) {
            throw AndockException.corrupt("layer index: " + e.getMessage());
        }
    }
}
