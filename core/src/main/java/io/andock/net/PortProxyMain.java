package io.andock.net;

import io.andock.container.ContainerDir;
import io.andock.AndockException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy process: {@code PortProxyMain [--watch DIR] RULE...} ({@link PortRule#arg}). Binds every rule, prints
 * {@code ready} (or {@code error: MESSAGE} and exits 1) on stdout and closes it, then forwards until killed or,
 * with {@code --watch}, until the container in {@code DIR} is over: {@code DIR} gone, {@code DIR/exit} written, or
 * the process in {@code DIR/pid} dead. Started by {@link ProxyProcess} with a tiny heap; one per container.
 */
public final class PortProxyMain {
    private PortProxyMain() {}

    public static void main(String[] args) throws IOException {
        Path watch = null;
        List<PortRule> rules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--watch")) watch = Path.of(args[++i]);
            else rules.add(PortRule.parse(args[i]));
        }
        PrintStream out = System.out;
        PortProxy proxy;
        try {
            proxy = PortProxy.bind(rules);
        } catch (AndockException e) {
            out.println("error: " + e.getMessage());
            out.flush();
            System.exit(1);
            return;
        }
        out.println("ready");
        out.flush();
        out.close();
        Path dir = watch;
        try (proxy) {
            proxy.run(() -> dir != null && over(dir));
        }
        System.exit(0);
    }

    /** True once the container in {@code dir} has exited (or was removed). */
    static boolean over(Path dir) {
        if (!Files.isDirectory(dir) || Files.exists(new ContainerDir(dir).exit())) return true;
        try {
            long pid = Long.parseLong(Files.readString(new ContainerDir(dir).pid()).trim());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false; // not started yet
        }
    }
}
