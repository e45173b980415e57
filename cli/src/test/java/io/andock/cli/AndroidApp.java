package io.andock.cli;

import io.andock.testkit.Cmd;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * andock installed into a simulated Termux app's data dir (the app can read nothing else): the test classpath is
 * copied to {@code $PREFIX/lib/andock}, and {@link #command()} is the shell command that runs the CLI inside it.
 */
final class AndroidApp {
    private final Path data;
    private final List<String> classpath = new ArrayList<>();

    AndroidApp(Path data) throws java.io.IOException {
        this.data = data;
        Path lib = Files.createDirectories(data.resolve("files/usr/lib/andock"));
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(entry);
            if (!Files.exists(src)) continue;
            String name = (n++) + "-" + src.getFileName();
            Cmd.exec("cp", "-a", src.toString(), lib.resolve(name).toString()).check();
            classpath.add("$PREFIX/lib/andock/" + name);
        }
        Files.createDirectories(data.resolve("files/home"));
    }

    /** The app's data dir (pass it to run-as-app {@code --data}). */
    Path data() {
        return data;
    }

    /** Gives everything under the data dir to the app's uid; call after the test wrote its own files there. */
    void ownAll() {
        Cmd.exec("chown", "-R", "10234:10234", data.toString()).check();
    }

    /** The shell command running andock's CLI as the app. */
    String command() {
        return "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + String.join(":", classpath) + " " + Main.class.getName();
    }
}
