package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.Events;
import io.andock.container.ContainerSpec;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ContainerBackend that knows containers by name, each running or not, and throws the core's error kinds as the
 * real one does: unknown → NOT_FOUND, a taken name → ALREADY_EXISTS... What it does not model is UNSUPPORTED.
 */
final class FakeContainers {
    final Map<String, Boolean> running = new ConcurrentHashMap<>();
    final Events events = new Events();

    private void known(String ref) {
        if (!running.containsKey(ref)) throw AndockException.notFound("No such container: " + ref);
    }

    ContainerBackend backend() {
        return (ContainerBackend) Proxy.newProxyInstance(ContainerBackend.class.getClassLoader(), new Class<?>[]{ContainerBackend.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "events" -> events;
                    case "create" -> {
                        ContainerSpec s = (ContainerSpec) args[0];
                        String name = s.name() == null ? "c" + running.size() : s.name();
                        if (running.putIfAbsent(name, false) != null) {
                            throw new AndockException(AndockException.Kind.ALREADY_EXISTS,
                                    "Conflict. The container name \"/" + name + "\" is already in use");
                        }
                        yield name;
                    }
                    case "start" -> { known((String) args[0]); running.put((String) args[0], true); yield null; }
                    case "get" -> { known((String) args[0]); throw new AndockException(AndockException.Kind.UNSUPPORTED, "get not in the fake"); }
                    case "inspect" -> { known((String) args[0]); yield Map.of("Id", args[0], "Name", "/" + args[0]); }
                    case "kill" -> {
                        known((String) args[0]);
                        if (!running.get(args[0])) throw new AndockException(AndockException.Kind.CONFLICT, "Container " + args[0] + " is not running");
                        yield null;
                    }
                    case "remove" -> {
                        known((String) args[0]);
                        if (running.get(args[0]) && !(boolean) args[1]) {
                            throw new AndockException(AndockException.Kind.CONFLICT, "cannot remove container \"/" + args[0]
                                    + "\": container is running: stop the container before removing or force remove");
                        }
                        running.remove(args[0]);
                        yield null;
                    }
                    case "pause" -> throw new AndockException(AndockException.Kind.UNSUPPORTED, "the proot driver cannot pause");
                    case "toString" -> "FakeContainers";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> throw new AndockException(AndockException.Kind.UNSUPPORTED, m.getName() + " not in the fake");
                });
    }
}
