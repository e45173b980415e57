/**
 * Container networking: {@link io.andock.net.Networking} implements the task room's
 * {@link io.andock.task.ContainerNetworks} with host, none and CNI bridge networks, CNI portmap or the
 * userspace {@link io.andock.net.PortProxy} for {@code -p}, and teardown scripts the container monitor runs at exit.
 */
package io.andock.net;
