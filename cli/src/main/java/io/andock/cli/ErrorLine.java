package io.andock.cli;

/**
 * An error as the one line the CLI prints: control characters a user's input (a name, a reference, an archive's
 * tag) carried into the message are shown escaped ({@code \n}, {@code \x1b}), so they can neither break the line
 * nor drive the terminal.
 */
final class ErrorLine {
    private ErrorLine() {}

    static String of(String message) {
        if (message == null) return "";
        StringBuilder b = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
