package io.andock.cli;

import io.andock.adb.AdbClient;
import io.andock.adb.DeviceSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code andock device ls|setup}: phones attached to this PC (USB or {@code adb connect}), through the adb server.
 * Needs no engine; its classes ({@code io.andock.adb}) load only when it runs.
 */
@Command(name = "device", description = "Android devices attached to this PC, through the adb server (adb start-server).",
        subcommands = {DeviceCommand.Ls.class, DeviceCommand.Setup.class})
final class DeviceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ls", aliases = "list", description = "List the devices the adb server sees.")
    static final class Ls extends EngineCommand {
        @Override
        protected boolean needsEngine() {
            return false;
        }

        @Override
        protected int call(Cli cli) {
            Table t = new Table("SERIAL", "STATE", "DESCRIPTION");
            for (AdbClient.Device d : AdbClient.local().devices()) t.row(d.serial(), d.state(), d.description());
            t.print(cli.out());
            return 0;
        }
    }

    @Command(name = "setup", description = {"Prepare a phone: check Android and Termux, install andock in Termux, "
            + "start its API daemon and forward its port here; prints each step, then the DOCKER_HOST to use."})
    static final class Setup extends EngineCommand {
        @Parameters(paramLabel = "SERIAL", description = "As `andock device ls` shows it.")
        String serial;

        @Option(names = "--deb", paramLabel = "FILE", description = "The Termux package to install (packaging/build makes it).")
        Path deb;

        @Option(names = "--disable-phantom-killer", description = "Turn off Android 12+'s phantom-process killer, which kills detached containers.")
        boolean disablePhantomKiller;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "2375", description = "The daemon's TCP port, on the phone and here (default: ${DEFAULT-VALUE}).")
        int port;

        @Override
        protected boolean needsEngine() {
            return false;
        }

        @Override
        protected int call(Cli cli) {
            if (port < 1 || port > 65535) throw io.andock.AndockException.invalid("--port must be 1-65535, not " + port);
            new DeviceSetup(AdbClient.local(), cli.out()).run(serial, deb, disablePhantomKiller, port);
            return 0;
        }
    }
}
