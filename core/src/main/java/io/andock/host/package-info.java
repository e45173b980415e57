/**
 * What this machine allows, and which execution driver andock uses on it.
 *
 * <p>{@link io.andock.host.HostProbe} reads files under {@code /proc}, {@code /sys}, {@code /etc} and the
 * directories of {@code PATH} into an immutable {@link io.andock.host.HostInfo}; it spawns a process only when
 * the files leave a question open (a real {@code unshare -U true} for a non-root user) or when the full probe is
 * asked for ({@code runc --version}, a tiny overlay mount). {@link io.andock.host.DriverChooser} is a pure
 * function from a HostInfo (and an optional forced driver name) to a {@link io.andock.host.DriverChoice} with
 * its reasons; {@link io.andock.host.HostReport} renders both for {@code andock info}.
 *
 * <p>Nothing here depends on the rest of the engine except {@link io.andock.AndockException} and
 * {@link io.andock.json}.
 */
package io.andock.host;
