package io.andock.builder;

import io.andock.tar.TarEntry;
import io.andock.tar.TarReader;
import io.andock.tar.TarWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The diff and the tar writer on plain directories: no network, no root. */
class LayerDiffTest {
    @TempDir
    Path root;

    @Test
    void changes_listAddsParentsAndWhiteoutsOnlyTopmostDeletions() throws Exception {
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/f"), "1");
        Files.writeString(root.resolve("keep"), "k");
        Files.createDirectories(root.resolve("x/y"));
        TreeState before = TreeState.scan(root);
        Files.writeString(root.resolve("a/b/c/new"), "n");
        Files.delete(root.resolve("keep"));
        io.andock.os.FileTrees.deleteTree(root.resolve("x"));
        TreeState after = TreeState.scan(root);
        assertThat(LayerDiff.describe(LayerDiff.changes(before, after)))
                .containsExactly("-.wh.keep", "-.wh.x", "a", "a/b", "a/b/c", "a/b/c/new");
        assertThat(LayerDiff.changes(after, TreeState.scan(root))).isEmpty();
    }

    @Test
    void tarWriter_longNamesLinksAndHardlinks_readBackByTheLayerReader() throws Exception {
        String deep = "d/" + "x".repeat(150) + "/" + "y".repeat(120);
        Files.createDirectories(root.resolve(deep).getParent());
        Files.writeString(root.resolve(deep), "deep");
        Files.createLink(root.resolve("d/hard"), root.resolve(deep));
        Files.createSymbolicLink(root.resolve("d/link"), Path.of("/" + "t".repeat(130)));
        TreeState after = TreeState.scan(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        new LayerDiff(false, 0, 0).write(LayerDiff.changes(TreeState.empty(), after), after, root, w);
        w.finish();
        TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        List<String> names = new ArrayList<>();
        for (TarEntry e; (e = r.next()) != null; ) {
            names.add(e.type() + " " + e.name() + (e.linkName().isEmpty() ? "" : " -> " + e.linkName()));
            if (e.type() == TarEntry.Type.FILE) assertThat(new String(r.content().readAllBytes())).isEqualTo("deep");
        }
        assertThat(names).containsExactly("DIRECTORY d", "FILE d/hard", "SYMLINK d/link -> /" + "t".repeat(130),
                "DIRECTORY d/" + "x".repeat(150), "HARDLINK " + deep + " -> d/hard");
    }
}
