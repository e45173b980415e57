package io.andock.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tars a hostile {@code docker cp} client uploads, made by Python's tarfile (which writes what it is told). Each
 * variant names {@code marker} (a unique file name) where it tries to write: the test checks the host has no file
 * of that name afterwards.
 */
public final class EscapingTars {
    /** {@code ../M}, {@code /M} (absolute), {@code a -> /} then {@code a/tmp/M}, and a hardlink {@code M -> /etc/shadow}. */
    public static final List<String> VARIANTS = List.of("dotdot", "absolute", "symlink-then-file", "hardlink-out");

    private EscapingTars() {}

    /** The tar bytes of {@code variant} (see {@link #VARIANTS}). */
    public static byte[] make(String variant, String marker) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("hostile-tar-");
        Path out = dir.resolve("t.tar");
        String py = """
                import io, sys, tarfile
                out, variant, m = sys.argv[1], sys.argv[2], sys.argv[3]
                data = b"pwned\\n"
                def file(t, name):
                    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
                with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
                    if variant == "dotdot": file(t, "../../../../../../tmp/" + m)
                    elif variant == "absolute": file(t, "/tmp/" + m)
                    elif variant == "symlink-then-file":
                        i = tarfile.TarInfo("a"); i.type = tarfile.SYMTYPE; i.linkname = "/"; t.addfile(i)
                        file(t, "a/tmp/" + m)
                    elif variant == "hardlink-out":
                        i = tarfile.TarInfo(m); i.type = tarfile.LNKTYPE; i.linkname = "/etc/shadow"; t.addfile(i)
                """;
        Cmd.Result r = Cmd.exec(List.of("python3", "-c", py, out.toString(), variant, marker));
        if (r.exitCode() != 0) throw new IOException("python3 tarfile: " + r.stderr());
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        Files.delete(dir);
        return b;
    }
}
