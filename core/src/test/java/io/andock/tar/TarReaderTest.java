package io.andock.tar;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.andock.image.MediaTypes.Compression;
import io.andock.snapshot.Decompression;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

import static io.andock.tar.TestTar.file;
import static org.assertj.core.api.Assertions.assertThat;

class TarReaderTest {

    @Test
    void next_readsBase256NumbersAndGnuLongNames() throws IOException {
        byte[] h = TestTar.header('0', "x", "", 0644, 0, 0, 0, 3, 0, 0, false);
        h[108] = (byte) 0x80; // uid 2^32+1 in base-256
        java.util.Arrays.fill(h, 109, 116, (byte) 0);
        h[111] = 1;
        h[115] = 1;
        TestTar.checksum(h, false);
        String longName = "n".repeat(300);
        byte[] l = TestTar.header('L', "././@LongLink", "", 0, 0, 0, 0, longName.length() + 1, 0, 0, false);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(l);
        byte[] nameData = new byte[512];
        System.arraycopy(longName.getBytes(StandardCharsets.US_ASCII), 0, nameData, 0, 300);
        b.writeBytes(nameData);
        b.writeBytes(h);
        b.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[509 + 1024]);
        TarReader r = new TarReader(new ByteArrayInputStream(b.toByteArray()));
        TarEntry e = r.next();
        assertThat(e.name()).isEqualTo(longName);
        assertThat(e.uid()).isEqualTo((1L << 32) + 1);
        assertThat(new String(r.content().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(r.next()).isNull();
    }

    @Test
    void eofInTheLastEntrysPadding_endsTheArchive_asGoReadsIt_butEofInItsDataIsTruncated() throws IOException {
        // what the docker CLI sends as a build context when -f names a Dockerfile outside it
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestTar.header('0', "Dockerfile", "", 0644, 0, 0, 0, 3, 0, 0, false));
        b.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[509]);
        b.writeBytes(TestTar.header('0', ".dockerfile.1", "", 0600, 0, 0, 0, 5, 0, 0, false));
        b.writeBytes("FROM ".getBytes(StandardCharsets.US_ASCII)); // no padding, no end-of-archive blocks
        for (int cut : new int[]{0, 7}) { // or cut within the padding
            byte[] whole = b.toByteArray();
            byte[] bytes = java.util.Arrays.copyOf(whole, whole.length + cut);
            TarReader r = new TarReader(new ByteArrayInputStream(bytes));
            assertThat(r.next().name()).isEqualTo("Dockerfile");
            assertThat(r.next().name()).isEqualTo(".dockerfile.1");
            assertThat(new String(r.content().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("FROM ");
            assertThat(r.next()).isNull();
        }
        byte[] cutInData = java.util.Arrays.copyOf(b.toByteArray(), b.size() - 2);
        TarReader r = new TarReader(new ByteArrayInputStream(cutInData));
        r.next();
        r.next();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            r.content().readAllBytes();
            r.next();
        }).hasMessageContaining("truncated");
    }

    @Test
    void next_keepsBinaryXattrsRaw_andAppliesGlobalPax() throws IOException {
        byte[] cap = {1, 0, 0, 2, (byte) 0xc3, (byte) 0x28, (byte) 0xff, 0};
        TestTar t = new TestTar();
        TestTar.E global = file("pax_global", "");
        global.type = 'g';
        global.content = TestTar.paxRecords(java.util.Map.of("uname", "globaluser".getBytes(StandardCharsets.UTF_8)));
        t.add(global);
        t.add(file("ping", "").paxRaw("SCHILY.xattr.security.capability", cap).pax("mtime", "-1.5"));
        TarReader r = new TarReader(new ByteArrayInputStream(t.finish()));
        TarEntry e = r.next();
        assertThat(e.xattrs().get("security.capability")).isEqualTo(cap);
        assertThat(e.uname()).isEqualTo("globaluser");
        assertThat(e.mtime()).isEqualTo(Instant.ofEpochSecond(-2, 500_000_000));
    }

    @Test
    void decompression_readsConcatenatedGzipMembersAndZstd_andDetects() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        for (String part : new String[] {"hello ", "world"}) {
            try (GZIPOutputStream o = new GZIPOutputStream(gz)) {
                o.write(part.getBytes(StandardCharsets.US_ASCII));
            }
        }
        ByteArrayOutputStream zs = new ByteArrayOutputStream();
        try (ZstdOutputStream o = new ZstdOutputStream(zs)) {
            o.write("hello zstd".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(read(gz.toByteArray(), Compression.GZIP)).isEqualTo("hello world");
        assertThat(read(gz.toByteArray(), Compression.DETECT)).isEqualTo("hello world");
        assertThat(read(zs.toByteArray(), Compression.DETECT)).isEqualTo("hello zstd");
        assertThat(read(zs.toByteArray(), Compression.ZSTD)).isEqualTo("hello zstd");
        assertThat(read("plain".getBytes(StandardCharsets.US_ASCII), Compression.DETECT)).isEqualTo("plain");
    }

    @Test
    void decompression_gzipMembersSplitByASlowStream_areAllRead() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        for (String part : new String[] {"one ", "two"}) {
            try (GZIPOutputStream o = new GZIPOutputStream(gz)) {
                o.write(part.getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] all = gz.toByteArray();
        InputStream trickle = new InputStream() { // a download in progress: one byte at a time, available() = 0
            int pos;

            @Override
            public int read() {
                return pos < all.length ? all[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= all.length) return -1;
                b[off] = all[pos++];
                return 1;
            }
        };
        try (InputStream in = Decompression.open(trickle, Compression.GZIP)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("one two");
        }
    }

    private static String read(byte[] data, Compression c) throws IOException {
        try (InputStream in = Decompression.open(new ByteArrayInputStream(data), c)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
