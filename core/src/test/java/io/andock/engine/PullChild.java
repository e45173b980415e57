package io.andock.engine;

import io.andock.transfer.TransferListener;

import java.nio.file.Path;

/** A second andock process for the pull tests: pulls {@code args[1]} into root {@code args[0]}; "hang" stops mid-blob. */
public final class PullChild {

    static Process start(Path root, Path config, String ref, boolean hang) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PullChild.class.getName(), root.toString(), config.toString(), ref,
                hang ? "hang" : "run").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    public static void main(String[] args) throws Exception {
        boolean hang = args[3].equals("hang");
        try (Engine e = Engine.open(EngineConfig.of(Path.of(args[0]), Path.of(args[1])))) {
            e.images().pull(args[2], null, new TransferListener() {
                @Override
                public void progress(String id, String action, long current, long total) {
                    if (!hang) return;
                    System.out.println("ingesting");
                    System.out.flush();
                    try {
                        Thread.sleep(120_000);
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            System.out.println("pulled");
        }
    }
}
