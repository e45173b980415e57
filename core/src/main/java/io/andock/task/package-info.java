/**
 * Running a container: {@link io.andock.task.ContainerService} is the façade the CLI and the daemon call; it
 * creates ({@link io.andock.task.ContainerCreator}: creating needs the driver, which checks the flags and adapts
 * the bundle's spec), launches ({@link io.andock.task.Launcher}: attached, or detached under the shell
 * {@link io.andock.task.Monitor} whose scripts are resources beside it), signals, stops and pauses
 * ({@link io.andock.task.ContainerSignals}), waits ({@link io.andock.task.ExitWaiter}: the one wait of the
 * engine), execs ({@link io.andock.task.ExecProcesses}), attaches ({@link io.andock.task.Attacher}, {@link io.andock.task.Pty})
 * and reads logs ({@link io.andock.task.LogFile}, {@link io.andock.task.ContainerLogs}). Networks are wired around
 * the process through {@link io.andock.task.ContainerNetworks}, which {@code net} implements.
 *
 * <p>May depend on {@code container}, {@code driver}, {@code os} and the values below them; only front ends,
 * {@code engine}, {@code net} and the builder depend on it.
 */
package io.andock.task;
