package io.andock.container;

import io.andock.AndockException;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's rules for what a container runs, as pure functions of the image config, the flags and the rootfs:
 * entrypoint/cmd merge, environment, user, working directory, and the command lookup along PATH (in the rootfs,
 * before anything starts, so every driver fails the same way: 127 not found, 126 not executable).
 */
public final class ProcessResolver {
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProcessResolver() {}

    /** Docker's merge: {@code --entrypoint} replaces the image's and also drops the image's Cmd. */
    public static List<String> argv(JsonObject image, List<String> entrypoint, List<String> cmd) {
        List<String> ep = entrypoint != null ? entrypoint : image.strings("Entrypoint");
        List<String> c = cmd;
        if (c == null) c = entrypoint != null ? null : image.strings("Cmd");
        List<String> out = new ArrayList<>();
        if (ep != null) out.addAll(ep);
        if (c != null) out.addAll(c);
        if (out.isEmpty()) throw AndockException.invalid("no command specified");
        return out;
    }

    /** Image env, then the user's (later keys override earlier, order of first appearance kept), then defaults. */
    public static List<String> env(List<String> imageEnv, List<String> userEnv, String hostname, String home, boolean tty) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PATH", DEFAULT_PATH);
        m.put("HOSTNAME", hostname);
        if (tty) m.put("TERM", "xterm");
        for (List<String> l : List.of(imageEnv == null ? List.<String>of() : imageEnv, userEnv)) {
            for (String kv : l) {
                int eq = kv.indexOf('=');
                if (eq < 0) continue; // "-e K" with K unset on the host: the CLI drops it, as Docker does
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        m.putIfAbsent("HOME", home);
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * Finds argv[0] in the rootfs as the kernel and Go's exec.LookPath would: a name with a slash directly,
     * otherwise along the container's PATH. Returns the argv unchanged; throws 127/126 {@link ExecFailure}s with
     * Docker's messages.
     */
    public static void checkExecutable(Path rootfs, String cmd, String path, String cwd, long uid, long gid) {
        if (cmd.contains("/")) {
            String abs = cmd.startsWith("/") ? cmd : (cwd.endsWith("/") ? cwd : cwd + "/") + cmd;
            Path p = RootPaths.resolve(rootfs, abs);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw ExecFailure.notFound("exec: \"" + cmd + "\": stat " + cmd + ": no such file or directory");
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw ExecFailure.notExecutable("exec: \"" + cmd + "\": is a directory");
            }
            if (!executable(p, uid, gid)) throw ExecFailure.notExecutable("exec: \"" + cmd + "\": permission denied");
            return;
        }
        for (String dir : (path == null ? DEFAULT_PATH : path).split(":")) {
            if (dir.isEmpty()) dir = ".";
            String abs = dir.startsWith("/") ? dir : cwd + "/" + dir;
            Path p = RootPaths.resolve(rootfs, abs + "/" + cmd);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && executable(p, uid, gid)) return;
        }
        throw ExecFailure.notFound("exec: \"" + cmd + "\": executable file not found in $PATH");
    }

    static boolean executable(Path p, long uid, long gid) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) return false;
            Set<PosixFilePermission> perms = a.permissions();
            if (uid == 0) {
                return perms.contains(PosixFilePermission.OWNER_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                        || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
            }
            long owner = ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            long group = ((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
            if (owner == uid) return perms.contains(PosixFilePermission.OWNER_EXECUTE);
            if (group == gid) return perms.contains(PosixFilePermission.GROUP_EXECUTE);
            return perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return Files.isExecutable(p);
        }
    }

    /**
     * Resolves the container's main process at create time: argv, env, user (looked up in {@code rootfs}), cwd.
     * {@code hostname} is the container's hostname (for HOSTNAME). See {@link #prepareStart} for what start checks.
     */
    public static ProcessSpec resolve(Path rootfs, JsonObject image, ContainerSpec spec, String hostname) {
        List<String> args = argv(image, spec.entrypoint(), spec.cmd());
        String user = spec.user() != null ? spec.user() : image.string("User", "");
        UserSpec u = UserSpec.resolve(rootfs, user).withGroups(rootfs, spec.groupAdd());
        String cwd = spec.workingDir() != null && !spec.workingDir().isEmpty() ? spec.workingDir() : image.string("WorkingDir", "");
        if (cwd.isEmpty()) cwd = "/";
        if (!cwd.startsWith("/")) {
            throw AndockException.invalid("the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
        }
        List<String> env = env(image.strings("Env"), spec.env(), hostname, u.home(), spec.tty());
        return new ProcessSpec(args, env, cwd, u.uid(), u.gid(), u.additionalGids(), spec.tty());
    }

    /** At start, in the container's own rootfs: creates the cwd when missing (as Docker does), checks argv[0]. */
    public static void prepareStart(Path rootfs, ProcessSpec p) {
        RootPaths.mkdirs(rootfs, p.cwd());
        checkExecutable(rootfs, p.args().get(0), p.envValue("PATH"), p.cwd(), p.uid(), p.gid());
    }

    /** An {@code exec}: the container's env plus {@code -e}, its user unless {@code -u}, its cwd unless {@code -w}. */
    public static ProcessSpec resolveExec(Path rootfs, ProcessSpec main, List<String> cmd, List<String> env, String user,
                                          String workdir, boolean tty) {
        if (cmd == null || cmd.isEmpty()) throw AndockException.invalid("no command specified");
        long uid = main.uid(), gid = main.gid();
        List<Long> gids = main.additionalGids();
        String home = null;
        if (user != null && !user.isEmpty()) {
            UserSpec u = UserSpec.resolve(rootfs, user);
            uid = u.uid();
            gid = u.gid();
            gids = u.additionalGids();
            home = u.home();
        }
        List<String> merged = new ArrayList<>(main.env());
        if (home != null) merged.add("HOME=" + home);
        if (tty) merged.add("TERM=xterm");
        merged.addAll(env);
        String hostname = main.envValue("HOSTNAME");
        List<String> fin = env(merged, List.of(), hostname == null ? "" : hostname, "/", false);
        String cwd = workdir == null || workdir.isEmpty() ? main.cwd() : workdir;
        ProcessSpec p = new ProcessSpec(cmd, fin, cwd, uid, gid, gids, tty);
        checkExecutable(rootfs, cmd.get(0), p.envValue("PATH"), cwd, uid, gid);
        return p;
    }
}
