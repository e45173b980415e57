package io.andock.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/** docker's "Are you sure you want to continue? [y/N]", asked only when a person is at a terminal. */
final class Prompt {
    private Prompt() {
    }

    static boolean confirm(Cli cli, String warning) throws IOException {
        if (System.console() == null) return true;
        cli.out().print(warning + "\nAre you sure you want to continue? [y/N] ");
        cli.out().flush();
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }
}
