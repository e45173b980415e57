package io.andock.content;

import io.andock.image.Descriptor;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A second andock process for the content store tests: ingests one random blob (or half of it and hangs). */
public final class ContentChild {

    static Process start(Path content, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ContentChild.class.getName(), content.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    public static void main(String[] args) throws Exception {
        ContentStore s = ContentStore.open(Path.of(args[0]));
        byte[] b = ContentStoreTest.data(Integer.parseInt(args[2]), Long.parseLong(args[1]));
        Descriptor d = ContentStoreTest.describe(b);
        try (Ingest i = s.begin(d)) {
            if (i.alreadyExists()) {
                System.out.println("existed");
                return;
            }
            if (args.length > 3) {
                i.write(new ByteArrayInputStream(b, 0, 1_000_000));
                System.out.println("partial");
                System.out.flush();
                Thread.sleep(60_000);
                return;
            }
            for (int off = 0; off < b.length; off += 500_000) {
                i.write(new ByteArrayInputStream(b, off, Math.min(500_000, b.length - off)));
                Thread.sleep(50);
            }
            i.commit();
            System.out.println("written");
        }
    }
}
