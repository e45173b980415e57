package io.andock.cli;

import io.andock.AndockException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

@Command(name = "login", description = "Log in to a registry (default docker.io); credentials are checked, then saved.")
final class LoginCommand extends EngineCommand {
    @Parameters(arity = "0..1", paramLabel = "SERVER")
    String server;

    @Option(names = {"-u", "--username"})
    String user;

    @Option(names = {"-p", "--password"}, description = "Password (prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Take the password from stdin.")
    boolean passwordStdin;

    @Override
    protected int call(Cli cli) throws Exception {
        String host = server == null ? "docker.io" : server;
        if (passwordStdin) {
            if (password != null) throw AndockException.invalid("--password and --password-stdin are mutually exclusive");
            if (user == null) throw AndockException.invalid("must provide --username with --password-stdin");
            password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } else if (password != null) {
            cli.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (user == null || password == null) {
            if (System.console() == null) throw AndockException.invalid("cannot perform an interactive login from a non TTY device");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            if (user == null) {
                cli.out().print("Username: ");
                cli.out().flush();
                user = in.readLine();
            }
            if (password == null) password = new String(System.console().readPassword("Password: "));
        }
        cli.engine().transfers().login(host, user, password);
        cli.out().println("Login Succeeded");
        return 0;
    }
}
