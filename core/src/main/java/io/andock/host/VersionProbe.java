package io.andock.host;

import io.andock.os.CommandRunner;

import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --version} of the OCI runtimes and proot (full probe only). Cached by path, size and modification time,
 * so an upgraded binary is asked again.
 */
final class VersionProbe {

    static final List<String> VERSIONED = List.of("runc", "crun", "proot");

    private final CommandRunner runner;
    private final ProbeCache cache;
    private final HostFs fs;

    VersionProbe(CommandRunner runner, ProbeCache cache, HostFs fs) {
        this.runner = runner;
        this.cache = cache;
        this.fs = fs;
    }

    Map<String, String> versions(Binaries bins) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String tool : VERSIONED) {
            String path = bins.path(tool);
            if (path == null) continue;
            String key = "version." + path + "@" + stamp(path);
            String v = cache.string(key);
            if (v == null) {
                CommandRunner.Result r = runner.run(List.of(path, "--version"), HostProbe.TIMEOUT);
                v = r.ok() ? versionOf(r.stdout() + "\n" + r.stderr()) : "unknown (" + r.describe() + ")";
                if (r.ok()) cache.put(key, v);
            }
            out.put(tool, v);
        }
        return out;
    }

    private String stamp(String path) {
        try {
            BasicFileAttributes a = Files.readAttributes(fs.path(path), BasicFileAttributes.class);
            return a.size() + "." + a.lastModifiedTime().toMillis();
        } catch (Exception e) {
            return "?";
        }
    }

    private static final Pattern AFTER_WORD = Pattern.compile("(?i)\\bversion:?\\s+v?(\\d\\S*)");
    private static final Pattern BARE = Pattern.compile("(?<![\\w.])(\\d+\\.\\d+(?:\\.\\d+)?[\\w.+~-]*)");

    /**
     * The version number in {@code --version} output: after the word "version" ({@code runc version 1.1.5+ds1},
     * {@code crun version 1.8.1}), else the first dotted number (proot's banner ends its art with {@code 5.1.0}).
     */
    static String versionOf(String text) {
        Matcher m = AFTER_WORD.matcher(text);
        if (m.find()) return m.group(1);
        m = BARE.matcher(text);
        return m.find() ? m.group(1) : "unknown";
    }
}
