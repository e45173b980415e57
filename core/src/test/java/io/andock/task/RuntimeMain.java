package io.andock.task;

import io.andock.container.ContainerSpec;
import io.andock.container.ContainerView;
import io.andock.container.ExecFailure;
import io.andock.container.ListOptions;
import io.andock.container.TestImages;
import io.andock.driver.ChrootDriver;
import io.andock.driver.Drivers;
import io.andock.driver.ProotDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tiny command line over {@link ContainerService} for tests that need another process (signal forwarding, the
 * Android simulator): {@code RuntimeMain ROOT IMAGES_DIR DRIVER CMD ARGS...} with CMD one of
 * {@code run [-d] [--rm] [-t] [-i] [--name N] IMAGE ARGV...}, {@code logs ID}, {@code exec ID ARGV...},
 * {@code stop ID [T]}, {@code rm ID}, {@code ps}. Exit code as the andock CLI's.
 */
public final class RuntimeMain {
    public static void main(String[] a) {
        ContainerService svc = new ContainerService(Path.of(a[0]), new TestImages(Path.of(a[1])),
                new Drivers(a[2], new ProotDriver(), new ChrootDriver()));
        List<String> args = new ArrayList<>(Arrays.asList(a).subList(4, a.length));
        try {
            System.exit(dispatch(svc, a[3], args));
        } catch (io.andock.AndockException e) {
            System.err.println("andock: " + e.getMessage());
            System.exit(ExecFailure.exitCode(e));
        }
    }

    private static int dispatch(ContainerService svc, String cmd, List<String> args) {
        switch (cmd) {
            case "run" -> {
                ContainerSpec.Builder b = null;
                boolean detach = false;
                boolean rm = false, tty = false, stdin = false;
                String name = null;
                while (args.get(0).startsWith("-")) {
                    String o = args.remove(0);
                    switch (o) {
                        case "-d" -> detach = true;
                        case "--rm" -> rm = true;
                        case "-t" -> tty = true;
                        case "-i" -> stdin = true;
                        case "--name" -> name = args.remove(0);
                        default -> throw io.andock.AndockException.invalid("unknown option " + o);
                    }
                }
                String image = args.remove(0);
                b = ContainerSpec.builder(image).name(name).autoRemove(rm).tty(tty).openStdin(stdin);
                if (!args.isEmpty()) b.cmd(args);
                if (detach) {
                    System.out.println(svc.runDetached(b.build()));
                    return 0;
                }
                return svc.run(b.build(), Attach.terminal());
            }
            case "logs" -> {
                svc.logs(args.get(0), new LogOptions(false, -1, false), System.out, System.err);
                return 0;
            }
            case "exec" -> {
                return svc.exec(args.get(0), new ExecSpec(args.subList(1, args.size()), List.of(), null, null, false, false),
                        Attach.terminal());
            }
            case "stop" -> {
                svc.stop(args.get(0), args.size() > 1 ? Integer.parseInt(args.get(1)) : null);
                return 0;
            }
            case "rm" -> {
                svc.remove(args.get(0), true, true);
                return 0;
            }
            case "ps" -> {
                for (ContainerView v : svc.list(ListOptions.ALL)) {
                    System.out.println(v.record().shortId() + "  " + v.name() + "  " + v.statusText(java.time.Instant.now()));
                }
                return 0;
            }
            default -> throw io.andock.AndockException.invalid("unknown command " + cmd);
        }
    }
}
