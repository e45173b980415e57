package io.andock.adb;

import io.andock.AndockException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code andock device setup SERIAL}: prepares a phone over adb, saying each step as it goes. Checks the Android
 * version and that Termux is installed; turns off Android 12+'s phantom-process killer when asked (it kills
 * detached containers); pushes the Termux package to {@code /data/local/tmp} (adb shell can write there, Termux can
 * read a file there whose name it knows); asks Termux through its {@code RUN_COMMAND} intent to install it and to
 * start {@code andock daemon -H tcp://127.0.0.1:PORT} (Termux honours that only with {@code allow-external-apps =
 * true} in {@code ~/.termux/termux.properties}; the command to type in Termux is printed either way); forwards the
 * port and prints the {@code DOCKER_HOST} to use.
 */
public final class DeviceSetup {
    /** Termux needs Android 7 (API 24). */
    static final int MIN_SDK = 24;
    static final String PREFIX = "/data/data/com.termux/files/usr";
    static final String RUN_COMMAND = "am startservice --user 0 -n com.termux/com.termux.app.RunCommandService"
            + " -a com.termux.RUN_COMMAND --es com.termux.RUN_COMMAND_PATH " + PREFIX + "/bin/sh"
            + " --ez com.termux.RUN_COMMAND_BACKGROUND true --esa com.termux.RUN_COMMAND_ARGUMENTS ";

    private final AdbClient adb;
    private final PrintWriter out;

    public DeviceSetup(AdbClient adb, PrintWriter out) {
        this.adb = adb;
        this.out = out;
    }

    /**
     * Runs the steps; {@code deb} may be null (andock already installed in Termux). Throws when the phone cannot
     * be used (too old, no Termux), after saying so.
     */
    public void run(String serial, Path deb, boolean disablePhantomKiller, int port) {
        if (deb != null && !Files.isRegularFile(deb)) throw AndockException.invalid("no such package file: " + deb);
        String sdk = adb.shell(serial, "getprop ro.build.version.sdk").output().strip();
        String release = adb.shell(serial, "getprop ro.build.version.release").output().strip();
        if (!sdk.matches("[0-9]{1,3}")) throw AdbClient.unavailable(serial + ": not an Android device (no ro.build.version.sdk)");
        step("Android " + (release.isEmpty() ? "?" : release) + " (SDK " + sdk + ")");
        if (Integer.parseInt(sdk) < MIN_SDK) throw AdbClient.unavailable(serial + ": Termux needs Android 7 (SDK 24) or later");

        String pkgs = adb.shell(serial, "pm list packages com.termux").output();
        if (!pkgs.lines().map(String::strip).toList().contains("package:com.termux")) {
            throw AdbClient.unavailable(serial + ": Termux is not installed: install it from F-Droid or GitHub (not Google Play), open it once, then run this again");
        }
        step("Termux is installed");

        if (Integer.parseInt(sdk) >= 31) {
            if (disablePhantomKiller) {
                for (String c : new String[]{"device_config put activity_manager max_phantom_processes 2147483647",
                        "settings put global settings_enable_monitor_phantom_procs false"}) {
                    AdbClient.ShellResult r = adb.shell(serial, c);
                    step((r.exitCode() == 0 ? "done: " : "failed (exit " + r.exitCode() + "): ") + c
                            + (r.output().isBlank() ? "" : ": " + r.output().strip().lines().findFirst().orElse("")));
                }
            } else {
                step("phantom-process killer left on (Android 12+ kills detached containers; --disable-phantom-killer turns it off)");
            }
        }

        String script;
        String daemon = "andock daemon -H tcp://127.0.0.1:" + port;
        if (deb != null) {
            String remote = "/data/local/tmp/" + deb.getFileName().toString().replaceAll("[^A-Za-z0-9._+~-]", "_");
            adb.push(serial, deb, remote);
            step("pushed " + deb.getFileName() + " to " + remote);
            script = "apt install -y " + remote + " && nohup " + daemon + " >$HOME/andock-daemon.log 2>&1 &";
        } else {
            step("no package given (--deb): andock must already be installed in Termux");
            script = "nohup " + daemon + " >$HOME/andock-daemon.log 2>&1 &";
        }
        // --esa splits its value at commas; the script has none. Quoted once for adb shell's sh.
        AdbClient.ShellResult r = adb.shell(serial, RUN_COMMAND + quote("-c," + script));
        boolean asked = r.exitCode() == 0 && !r.output().contains("Error");
        step(asked ? "asked Termux to run: " + script + " (needs allow-external-apps = true in ~/.termux/termux.properties)"
                : "could not ask Termux (am: " + r.output().strip().lines().findFirst().orElse("exit " + r.exitCode()) + ")");
        step("if the daemon does not answer, type in Termux: " + script);

        adb.forward(serial, "tcp:" + port, "tcp:" + port);
        step("forwarded tcp:" + port + " on this PC to tcp:" + port + " on " + serial);
        out.println("export DOCKER_HOST=tcp://127.0.0.1:" + port);
        out.flush();
    }

    private int n;

    private void step(String what) {
        out.println("[" + (++n) + "] " + what);
        out.flush();
    }

    /** Single-quoted for sh. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
