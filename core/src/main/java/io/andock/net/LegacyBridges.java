package io.andock.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The bridges andock made per root before the bridge was shared ({@code andock0} … {@code andock14}, each claimed
 * in {@code /run/andock/bridges/<name>} by its root's {@code bridge.json}). Idle ones (no interface on them) are
 * removed before the shared bridge is first chosen, so their names and subnets are free again; busy ones are left
 * to the containers on them, and their names and routes are avoided. Either kind, if an older andock uses it again,
 * is simply made again by its CNI bridge plugin.
 */
final class LegacyBridges {
    static final Path CLAIMS = Path.of("/run/andock/bridges");

    private LegacyBridges() {}

    /** Deletes every {@code andockN} bridge among {@code links} that has no interface enslaved to it. */
    static void removeIdle(java.util.Collection<String> links) {
        for (String link : links) {
            if (!link.matches("andock\\d{1,3}") || !idle(Path.of("/sys/class/net", link))) continue;
            if (delete(link)) disown(link);
        }
    }

    /** A bridge ({@code bridge/} in sysfs) with nothing in {@code brif/}. */
    static boolean idle(Path sysLink) {
        if (!Files.isDirectory(sysLink.resolve("bridge"))) return false;
        try (var ports = Files.list(sysLink.resolve("brif"))) {
            return ports.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes an older andock's claim on {@code name}: such a version deletes a claimed bridge whose root is gone,
     * which would take the shared bridge from under its containers.
     */
    static void disown(String name) {
        try {
            Files.deleteIfExists(CLAIMS.resolve(name));
        } catch (IOException e) {
            // an older andock is not running here
        }
    }

    private static boolean delete(String link) {
        try {
            Process p = new ProcessBuilder("ip", "link", "delete", link).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
