package io.andock.hub;

import java.nio.file.Path;

/**
 * {@code java io.andock.hub.HubMain --root DIR [--addr HOST:PORT] [--config FILE] [--sparse-manifests]}: the hub
 * without the CLI (tests run it as a separate process to kill -9 it). Prints "andock hub listening on URL".
 */
public final class HubMain {
    private HubMain() {}

    public static void main(String[] args) throws Exception {
        HubConfig c = null;
        Path root = null;
        String addr = null;
        boolean sparse = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--addr" -> addr = args[++i];
                case "--config" -> c = HubConfig.load(Path.of(args[++i]));
                case "--sparse-manifests" -> sparse = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (c == null) c = HubConfig.defaults(null);
        if (root != null) c = c.withRoot(root);
        if (addr != null) c = c.withAddr(addr);
        if (sparse) c = c.withSparse(true);
        Hub hub = Hub.start(c);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hub.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "andock-hub-stop"));
        System.out.println("andock hub listening on " + hub.address());
        System.out.flush();
        hub.join();
    }
}
