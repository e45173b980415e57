/**
 * The {@code oci} execution driver: runc or crun, as Docker's default runtime would run a container.
 *
 * <p>{@link io.andock.driver.oci.OciDriver} turns the {@link io.andock.driver.Driver} operations into runtime
 * commands; {@link io.andock.driver.oci.RuntimeProbe} picks the runtime that works here (and whether cgroup limits
 * do) with a trivial container, once per boot. {@link io.andock.driver.oci.LinuxSpec} writes the Linux parts of
 * a spec the way Docker does — {@link io.andock.driver.oci.Capabilities}, {@link io.andock.driver.oci.SeccompProfile},
 * masked paths, cgroup resources, namespaces ({@link io.andock.driver.oci.Network}) and, without root, user
 * namespace mappings ({@link io.andock.driver.oci.Rootless}). Everything but OciDriver and RuntimeProbe is a
 * pure function.
 */
package io.andock.driver.oci;
