package io.andock.task;

import io.andock.container.ContainerDir;
import io.andock.container.ContainerInspector;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerSpec;
import io.andock.container.PortBinding;
import io.andock.driver.Driver;
import io.andock.AndockException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires a container's network around its process. The service calls, in this order:
 * <ol>
 * <li>{@link #plan} at create, before the container exists: the network mode it gets (the driver's default when
 *     the spec names none), its port bindings with every host port chosen, and, when the spec must join a network
 *     namespace made by {@link #up}, that namespace's path. The plan is recorded in the container's record.
 * <li>{@link #up} at every start, under the container's lock, after the rootfs is ready and before the monitor
 *     runs the container: makes the namespace, addresses, port forwarding, and rewrites the container's
 *     {@code /etc/hosts}. Returns a teardown script for the monitor to run with {@code sh} when the container
 *     exits (null when there is nothing to undo). Throws, having undone its work, when a port is taken.
 * <li>{@link #down} when a start fails after {@code up}, at {@code rm}, and before {@code up} in case the last
 *     run's teardown never ran (its monitor was killed). Idempotent; a no-op when the network is down.
 * <li>{@link #settings} for inspect's {@code NetworkSettings}.
 * </ol>
 * Implementations keep no state in memory: any andock process may call any method for any container; what a
 * network needs to be torn down lives in the container's directory.
 */
public interface ContainerNetworks {

    /**
     * @param mode      {@code host}, {@code none}, {@code bridge} or a user-defined network's name
     * @param ports     the bindings, host port 0 replaced by the one chosen
     * @param netnsPath the namespace the spec joins (made by {@link #up}), or null for the host's or a fresh one
     */
    record Plan(String mode, List<PortBinding> ports, Path netnsPath) {
        public Plan {
            ports = List.copyOf(ports);
        }
    }

    Plan plan(String containerId, ContainerSpec spec, Driver driver);

    Path up(String containerId, ContainerDir containerDir, ContainerRecord record);

    void down(ContainerDir containerDir);

    /** {@code NetworkSettings}: {@code Ports} always; address, gateway and sandbox key while the network is up. */
    Map<String, Object> settings(ContainerDir containerDir, ContainerRecord record);

    /**
     * What andock does without {@code io.andock.net}: the host's network (or a fresh namespace with only
     * {@code lo} where the driver has namespaces), ports published only as themselves.
     */
    static ContainerNetworks hostOnly() {
        return new ContainerNetworks() {
            @Override
            public Plan plan(String containerId, ContainerSpec spec, Driver driver) {
                String mode = spec.networkMode() != null ? spec.networkMode() : "host";
                requireNamespaces(mode, driver);
                for (PortBinding p : spec.ports()) {
                    if (p.hostPort() != 0 && p.hostPort() != p.containerPort()) {
                        throw new AndockException(AndockException.Kind.UNSUPPORTED, "-p " + p.hostPort() + ":" + p.containerPort()
                                + ": with host networking a port can only be published as itself (-p " + p.containerPort()
                                + ":" + p.containerPort() + "); port forwarding is not implemented without io.andock.net");
                    }
                }
                return new Plan(mode, spec.ports(), null);
            }

            @Override
            public Path up(String containerId, ContainerDir containerDir, ContainerRecord record) {
                return null;
            }

            @Override
            public void down(ContainerDir containerDir) {
                // nothing was set up
            }

            @Override
            public Map<String, Object> settings(ContainerDir containerDir, ContainerRecord record) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Ports", ContainerInspector.ports(record));
                return m;
            }
        };
    }

    /** {@code NetworkSettings.Ports} as Docker shows it: every exposed port, with its host bindings or null. */
    static Map<String, Object> dockerPorts(ContainerRecord record) {
        return ContainerInspector.ports(record);
    }

    /** Refuses a mode other than {@code host} on a driver that shares the host's network. */
    static void requireNamespaces(String mode, Driver driver) {
        if (!"host".equals(mode) && !driver.features().netNamespace()) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "driver " + driver.name()
                    + " shares the host's network: --network " + mode + " is not possible (use --network host)");
        }
    }
}
