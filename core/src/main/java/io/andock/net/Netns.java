package io.andock.net;

import io.andock.AndockException;
import io.andock.os.HostTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Named network namespaces: a file the namespace is bind-mounted on ({@code unshare --net=FILE}), as iproute2's. */
final class Netns {
    private Netns() {}

    /** A new namespace at {@code path} (a leftover there is removed first). */
    static void create(Path path) {
        try {
            Files.createDirectories(path.getParent());
            if (Files.exists(path)) remove(path);
            Files.createFile(path);
            run(HostTools.require("unshare", "network namespace"), "--net=" + path, "true");
        } catch (IOException e) {
            throw AndockException.wrap("create network namespace " + path, e);
        }
    }

    static void remove(Path path) {
        String umount = HostTools.find("umount");
        if (umount != null) {
            try {
                run(umount, path.toString());
            } catch (AndockException notMounted) {
                // removed below either way
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw AndockException.wrap("remove network namespace " + path, e);
        }
    }

    private static void run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AndockException(AndockException.Kind.UNAVAILABLE, String.join(" ", argv) + ": " + out);
            }
        } catch (IOException e) {
            throw AndockException.wrap(argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted", e);
        }
    }
}
