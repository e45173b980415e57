package io.andock.engine;

import io.andock.os.Resources;
import io.andock.tar.TarWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the class-data archive's training run (bin/andock, the CLI's {@code -Dandock.cds.train}) needs of the engine
 * besides running commands: a throwaway image to run a container from, and a copy of the jar's resources beside the
 * archive, which {@link Resources} reads instead of the jar.
 */
public final class StartupTraining {
    private StartupTraining() {}

    /**
     * Writes to {@code tar} an image's rootfs that holds one file, {@code /train}, executable and no program (four
     * zero bytes): a container's exec of it fails inside the driver, after andock has done every step of a run.
     */
    public static void image(Path tar) throws IOException {
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarWriter w = new TarWriter(out);
            w.add(TarWriter.Header.of("train", TarWriter.Type.FILE, 0755, 0, 0, 4, 0), new ByteArrayInputStream(new byte[4]));
            w.finish();
        }
    }

    /** Copies andock's own resources ({@link Resources#copied}) from {@code jar} into {@code dir}, by their paths. */
    public static void copyResources(Path jar, Path dir) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || !Resources.copied(e.getName())) continue;
                Path to = dir.resolve(e.getName()).normalize();
                if (!to.startsWith(dir)) continue; // (our own jar; still, no entry names a path outside)
                Files.createDirectories(to.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, to);
                }
            }
        }
    }
}
