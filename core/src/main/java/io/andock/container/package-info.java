/**
 * What a container is, on disk and as values: the user's request ({@link io.andock.container.ContainerSpec},
 * mounts, ports, resources, security, restart policy), what create resolved it to
 * ({@link io.andock.container.ContainerRecord}, {@link io.andock.container.ProcessSpec},
 * {@link io.andock.container.UserSpec} through {@link io.andock.container.ProcessResolver}), its state
 * ({@link io.andock.container.ContainerState}), the directory that holds it all
 * ({@link io.andock.container.ContainerDir}, the only class that knows its file names) and the stores
 * ({@link io.andock.container.ContainerStore}, {@link io.andock.container.VolumeStore}, names and ids checked by
 * {@link io.andock.container.StoreNames}). The OCI runtime spec is generated here as a pure function
 * ({@link io.andock.container.OciSpecs}); paths inside a rootfs are resolved by
 * {@link io.andock.container.RootPaths}, never by the host.
 *
 * <p>Nothing here runs a container. It may depend on values ({@code json}, {@code image}), {@code content},
 * {@code os} and {@link io.andock.AndockException}; never on {@code driver} or {@code task}, which depend on it.
 */
package io.andock.container;
