/**
 * The {@code oci} execution driver: runc or crun, as Docker's default runtime would run a container.
 *
 * <p>{@link io.andock.runtime.oci.OciDriver} turns the {@link io.andock.runtime.Driver} operations into runtime
 * commands; {@link io.andock.runtime.oci.RuntimeProbe} picks the runtime that works here (and whether cgroup limits
 * do) with a trivial container, once per boot. {@link io.andock.runtime.oci.LinuxSpec} writes the Linux parts of
 * a spec the way Docker does — {@link io.andock.runtime.oci.Capabilities}, {@link io.andock.runtime.oci.SeccompProfile},
 * masked paths, cgroup resources, namespaces ({@link io.andock.runtime.oci.Network}) and, without root, user
 * namespace mappings ({@link io.andock.runtime.oci.Rootless}). Everything but OciDriver and RuntimeProbe is a
 * pure function.
 */
package io.andock.runtime.oci;
