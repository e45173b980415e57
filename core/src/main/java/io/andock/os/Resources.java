package io.andock.os;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Resources beside a class (its shell scripts), read from a copy of them bin/andock keeps beside its class-data
 * archive (the system property {@code andock.resources}, a directory that the archive's training run filled:
 * {@link #copied}), else straight from the jar that holds the class. Either way not by the class loader's way
 * ({@link Class#getResourceAsStream}), which asks the JDK's own loaders first and goes through {@code jar:} URLs:
 * ~1.5 ms a resource at start-up (profiled), and a container's start reads several. With the copy, a {@code run}
 * never opens the jar (its archived classes come from the archive): the JDK's reading of the jar's index of 2,500
 * entries costs ~10 ms of interpreted code. A class loaded from a directory (tests) reads the usual way.
 */
public final class Resources {
    private Resources() {}

    /** The jar of each code source, or {@link #NONE} where the class does not come from a jar. */
    private static final Map<Object, Object> JARS = new ConcurrentHashMap<>();
    private static final Object NONE = new Object();

    /** Where the copy is: bin/andock's {@code -Dandock.resources}; null: none. */
    private static final String COPY = System.getProperty("andock.resources");

    /** Whether the jar entry {@code name} is a resource the copy holds: andock's own, not a class. */
    public static boolean copied(String name) {
        return name.startsWith("io/andock/") && !name.endsWith(".class") && !name.endsWith("/");
    }

    /** The bytes of {@code name} in {@code owner}'s package (as {@code owner.getResourceAsStream(name)}), or null. */
    public static byte[] read(Class<?> owner, String name) throws IOException {
        return read(owner, name, COPY);
    }

    /** As above, with the copy in {@code copy} (null: none). */
    static byte[] read(Class<?> owner, String name, String copy) throws IOException {
        String path = owner.getPackageName().replace('.', '/') + '/' + name;
        if (copy != null && copied(path)) {
            try {
                return java.nio.file.Files.readAllBytes(Path.of(copy, path));
            } catch (IOException e) {
                // not copied (a resource newer than the copy cannot be: the copy goes with its jar): the jar
            }
        }
        ZipFile jar = jarOf(owner);
        if (jar != null) {
            ZipEntry e = jar.getEntry(path);
            if (e == null) return null;
            try (InputStream in = jar.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
        try (InputStream in = owner.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static ZipFile jarOf(Class<?> owner) {
        CodeSource src = owner.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) return null;
        Object jar = JARS.computeIfAbsent(src.getLocation().toString(), k -> open(src));
        return jar == NONE ? null : (ZipFile) jar;
    }

    private static Object open(CodeSource src) {
        try {
            Path p = Path.of(URI.create(src.getLocation().toString()));
            if (!p.getFileName().toString().endsWith(".jar")) return NONE;
            return new ZipFile(p.toFile());
        } catch (IOException | RuntimeException e) {
            return NONE; // not a file URL, or not a readable jar: the class loader's way
        }
    }
}
