package io.andock.cli;

import io.andock.AndockException;
import io.andock.engine.Engine;
import io.andock.engine.HostTrees;
import io.andock.engine.PathStat;
import io.andock.engine.TreeTar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code docker cp}, with Docker's client-side rules (docker/cli {@code cp.go}, moby {@code archive/copy.go}): a
 * destination that is a directory receives the source under its own name ({@code SRC/.}: its contents); one that
 * does not exist is created with that name (its parent must exist); a file is replaced by a file, never by a
 * directory. The container side goes through the engine's {@code copyIn}/{@code copyOut}, which keep every path
 * inside the container; a tar from a container is extracted locally with the same hardened applier, inside the
 * destination directory only, owned by the user running the command.
 */
@Command(name = "cp", description = {"Copy files/folders between a container and the local filesystem.",
        "  andock cp [-a] [-L] CONTAINER:SRC_PATH DEST_PATH|-", "  andock cp [-a] [-L] SRC_PATH|- CONTAINER:DEST_PATH",
        "'-' reads a tar from stdin (extracted into a directory) or writes one to stdout."})
final class CpCommand extends EngineCommand {
    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Parameters(index = "0", paramLabel = "SRC")
    String src;

    @Parameters(index = "1", paramLabel = "DEST")
    String dest;

    /** One side of the copy: a container path, or a local one ({@code container} null). */
    private record Side(String container, String path) {
        static Side parse(String arg) {
            if (arg.startsWith("/") || arg.startsWith(".")) return new Side(null, arg); // as docker's splitCpArg
            int colon = arg.indexOf(':');
            return colon <= 0 ? new Side(null, arg) : new Side(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    @Override
    protected int call(Cli cli) throws Exception {
        Side from = Side.parse(src), to = Side.parse(dest);
        if (from.container() != null && to.container() != null) throw AndockException.invalid("copying between containers is not supported");
        if (from.container() == null && to.container() == null) throw AndockException.invalid("must specify at least one container source");
        if (from.container() != null) copyOut(cli.engine(), from, to.path());
        else copyIn(cli.engine(), from.path(), to);
        return 0;
    }

    private void copyOut(Engine engine, Side from, String local) throws IOException {
        String ctr = from.container(), path = from.path().isEmpty() ? "/" : from.path();
        if (local.equals("-")) {
            engine.containers().copyOut(ctr, path, followLink, null, System.out);
            System.out.flush();
            return;
        }
        PathStat st = engine.containers().statPath(ctr, path);
        if (followLink && st.isSymlink()) st = engine.containers().statPath(ctr, st.linkTarget());
        String srcName = path.endsWith("/.") || path.equals(".") ? "." : name(path);
        Path dst = Path.of(local).toAbsolutePath();
        Path dir;
        String as;
        if (Files.isDirectory(dst)) {
            dir = dst;
            as = srcName;
        } else if (Files.exists(dst)) {
            if (st.isDir()) throw AndockException.invalid("cannot copy a directory to a file: " + local);
            dir = dst.getParent();
            as = dst.getFileName().toString();
        } else {
            if ((local.endsWith("/") || local.endsWith("/.")) && !st.isDir()) {
                throw AndockException.notFound("no such directory: " + local);
            }
            dir = dst.normalize().getParent();
            as = dst.normalize().getFileName().toString();
            if (!Files.isDirectory(dir)) throw AndockException.notFound("no such directory: " + dir);
        }
        Path extractDir = dir;
        // Docker's client extracts without chown (NoLchown): the files belong to whoever runs the command
        pipe(out -> engine.containers().copyOut(ctr, path, followLink, as, out), in -> HostTrees.extract(in, extractDir));
    }

    private void copyIn(Engine engine, String local, Side to) {
        String ctr = to.container(), path = to.path().isEmpty() ? "/" : to.path();
        PathStat st = statOrNull(engine, ctr, path);
        if (st != null && st.isSymlink()) { // docker cp f CTR:/link writes where the link leads, inside the container
            path = st.linkTarget();
            st = statOrNull(engine, ctr, path);
        }
        if (local.equals("-")) {
            if (st == null) throw AndockException.notFound("Could not find the file " + path + " in container " + ctr);
            if (!st.isDir()) throw AndockException.invalid("destination \"" + ctr + ":" + path + "\" must be a directory");
            engine.containers().copyIn(ctr, path, System.in, archive);
            return;
        }
        Path source = Path.of(local).toAbsolutePath();
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) throw AndockException.notFound("lstat " + local + ": no such file or directory");
        if (followLink && Files.isSymbolicLink(source)) source = real(source);
        boolean srcDir = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
        String srcName = local.endsWith("/.") || local.equals(".") ? "." : source.normalize().getFileName().toString();
        String dir, as;
        if (st != null && st.isDir()) {
            dir = path;
            as = srcName;
        } else if (st != null) {
            if (srcDir) throw AndockException.invalid("cannot copy a directory to a file: " + ctr + ":" + path);
            dir = parent(path);
            as = name(path);
        } else {
            if ((path.endsWith("/") || path.endsWith("/.")) && !srcDir) {
                throw AndockException.notFound("no such directory: " + ctr + ":" + path);
            }
            dir = parent(path);
            as = name(path);
        }
        Path top = source;
        String into = dir;
        pipe(out -> TreeTar.write(top, as, out), in -> engine.containers().copyIn(ctr, into, in, archive));
    }

    private static PathStat statOrNull(Engine engine, String ctr, String path) {
        try {
            return engine.containers().statPath(ctr, path);
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND && e.getMessage().startsWith("Could not find the file")) return null;
            throw e;
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw AndockException.wrap("follow " + p, e);
        }
    }

    /** The last component of a path, lexically cleaned ("/" for the root). */
    static String name(String path) {
        Path p = Path.of("/").resolve(path).normalize();
        return p.getFileName() == null ? "/" : p.getFileName().toString();
    }

    static String parent(String path) {
        Path p = Path.of("/").resolve(path).normalize().getParent();
        return p == null ? "/" : p.toString();
    }

    /** Runs {@code producer} in a thread writing what {@code consumer} reads; the first failure is thrown. */
    private static void pipe(Consumer<OutputStream> producer, Consumer<InputStream> consumer) {
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        try (PipedInputStream in = new PipedInputStream(1 << 16)) {
            PipedOutputStream out = new PipedOutputStream(in);
            Thread t = new Thread(() -> {
                try (out) {
                    producer.accept(out);
                } catch (RuntimeException e) {
                    failed.set(e);
                } catch (IOException e) {
                    failed.compareAndSet(null, AndockException.wrap("write archive", e));
                }
            }, "andock-cp");
            t.setDaemon(true);
            t.start();
            try {
                consumer.accept(in);
            } catch (RuntimeException e) {
                in.close(); // the producer stops writing
                join(t);
                RuntimeException p = failed.get(); // the producer's own error explains a cut stream; "pipe closed" does not
                throw p != null && !(p instanceof AndockException a && a.kind() == AndockException.Kind.UNAVAILABLE) ? p : e;
            }
            join(t);
            if (failed.get() != null) throw failed.get();
        } catch (IOException e) {
            throw AndockException.wrap("copy", e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
