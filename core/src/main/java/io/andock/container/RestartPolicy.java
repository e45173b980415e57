package io.andock.container;

import io.andock.AndockException;

/**
 * {@code --restart no|always|unless-stopped|on-failure[:N]}. Stored with the container; acted on by the daemon.
 */
public record RestartPolicy(String name, int maxRetries) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy { // checked here, not only in parse: the API builds policies from its JSON body directly
        if (!java.util.List.of("no", "always", "unless-stopped", "on-failure").contains(name)) {
            throw AndockException.invalid("invalid restart policy: unknown policy '" + name + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (maxRetries < 0) throw AndockException.invalid("invalid restart policy: maximum retry count cannot be negative");
    }

    public static RestartPolicy parse(String s) {
        if (s == null || s.isEmpty() || s.equals("no")) return NO;
        String[] p = s.split(":", 2);
        switch (p[0]) {
            case "always", "unless-stopped" -> {
                if (p.length > 1) throw AndockException.invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'");
                return new RestartPolicy(p[0], 0);
            }
            case "on-failure" -> {
                int n = 0;
                if (p.length > 1) {
                    try {
                        n = Integer.parseInt(p[1]);
                    } catch (NumberFormatException e) {
                        throw AndockException.invalid("invalid restart policy: maximum retry count must be an integer");
                    }
                    if (n < 0) throw AndockException.invalid("invalid restart policy: maximum retry count cannot be negative");
                }
                return new RestartPolicy("on-failure", n);
            }
            default -> throw AndockException.invalid("invalid restart policy: unknown policy '" + p[0] + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
    }
}
