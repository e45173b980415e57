package io.andock.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deleteTree_neverFollowsSymlinks_andEmptiesReadOnlyDirs() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.createSymbolicLink(tmp.resolve("tree/to-outside"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/a/to-file"), outside.resolve("keep"));
        Files.writeString(tree.resolve("f"), "x");
        Path locked = Files.createDirectories(tmp.resolve("tree/a/locked/inner"));
        Files.writeString(locked.resolve("g"), "y");
        Files.setAttribute(locked, "unix:mode", 0);
        Files.setAttribute(tmp.resolve("tree/a/locked"), "unix:mode", 0500);
        Files.setAttribute(tree, "unix:mode", 0555);
        FileTrees.deleteTree(tmp.resolve("tree"));
        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("keep")).hasContent("keep");
    }

    @Test
    void deleteTree_ofASymlink_removesOnlyTheLink_andMissingIsFine() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        FileTrees.deleteTree(link);
        assertThat(link).doesNotExist();
        assertThat(dir.resolve("f")).exists();
        FileTrees.deleteTree(tmp.resolve("missing"));
    }

    @Test
    void deleteTree_handlesTreesDeeperThanTheDescriptorLimit() throws IOException {
        Path p = tmp.resolve("deep");
        for (int i = 0; i < 150; i++) p = p.resolve("d");
        Files.createDirectories(p);
        FileTrees.deleteTree(tmp.resolve("deep"));
        assertThat(tmp.resolve("deep")).doesNotExist();
    }

    @Test
    void removeTree_deletesFilesAndReadOnlyTrees_keepsWhatALinkPointsTo_andMissingIsFine() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path tree = Files.createDirectories(tmp.resolve("vol/_data/sub"));
        Files.createSymbolicLink(tree.resolve("out"), outside);
        Files.setAttribute(tree, "unix:mode", 0555);
        FileTrees.removeTree(file);
        FileTrees.removeTree(tmp.resolve("vol"));
        FileTrees.removeTree(tmp.resolve("missing"));
        assertThat(file).doesNotExist();
        assertThat(tmp.resolve("vol")).doesNotExist();
        assertThat(outside.resolve("keep")).hasContent("keep");
    }

    /** Two removers of one tree (the monitor's rm -rf of a --rm run, and a forced rm): neither fails, the tree goes. */
    @Test
    void deleteTree_racingAnotherRemover_neitherFails() throws Exception {
        for (int round = 0; round < 10; round++) {
            Path tree = tmp.resolve("race-" + round);
            fill(tree, 30, 60);
            Process rm = new ProcessBuilder("rm", "-rf", tree.toString()).start();
            java.util.concurrent.Future<?> other = java.util.concurrent.ForkJoinPool.commonPool().submit(() -> {
                FileTrees.deleteTree(tree);
                return null;
            });
            FileTrees.deleteTree(tree);
            other.get();
            rm.waitFor();
            assertThat(tree).doesNotExist();
        }
    }

    /** A last process writing into the tree as it dies: what it adds while the walk runs is removed too. */
    @Test
    void deleteTree_whileAWriterStillAddsFiles_removesThemToo() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path tree = tmp.resolve("busy-" + round);
            fill(tree, 20, 50);
            Path hot = tree.resolve("d0");
            // a last few files (fewer than the rounds the walk allows: each can make one round find the directory
            // not empty), written while the walk runs
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 4; i++) {
                    try {
                        Files.writeString(hot.resolve("late-" + i), "x");
                        Thread.sleep(2);
                    } catch (IOException | InterruptedException e) {
                        return; // the directory is gone: the writer died with it
                    }
                }
            });
            writer.start();
            try {
                FileTrees.deleteTree(tree);
            } finally {
                writer.join();
            }
            FileTrees.deleteTree(tree); // what the writer made after the last round, as the next sweep would
            assertThat(tree).doesNotExist();
        }
    }

    private static void fill(Path tree, int dirs, int filesEach) throws IOException {
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectories(tree.resolve("d" + d).resolve("sub"));
            for (int f = 0; f < filesEach; f++) Files.writeString(dir.resolve("f" + f), "x");
        }
    }
}
