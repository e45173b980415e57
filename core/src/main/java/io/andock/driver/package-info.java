/**
 * Execution drivers: the {@link io.andock.driver.Driver} interface (a bundle directory in, commands out, no state
 * kept between calls), the set available here ({@link io.andock.driver.Drivers}), what each isolates
 * ({@link io.andock.driver.DriverFeatures}), and the adapters for hosts without an OCI runtime:
 * {@link io.andock.driver.ChrootDriver} (rooted phones) and {@link io.andock.driver.ProotDriver} (ptrace, unrooted
 * phones), which read the bundle's spec through {@link io.andock.driver.BundleSpec}. {@code driver.oci} holds the
 * runc/crun driver.
 *
 * <p>May depend on {@code container} (the spec and its values), {@code os} and the values below them; never on
 * {@code task}, which runs containers through drivers.
 */
package io.andock.driver;
