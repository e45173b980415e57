/**
 * The host operating system as the engine's rooms use it: programs along PATH ({@link io.andock.os.HostTools}),
 * short host commands ({@link io.andock.os.CommandRunner}), {@code /proc} and signals
 * ({@link io.andock.os.ProcessTable}, {@link io.andock.os.Signals}), which process owns a half-made thing
 * ({@link io.andock.os.Owner}) and interruptible polling sleeps.
 *
 * <p>Depends on nothing of the engine but {@link io.andock.AndockException}; {@code container}, {@code driver} and
 * {@code task} sit on it.
 */
package io.andock.os;
