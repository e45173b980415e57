/**
 * Talking to Android devices from a PC through the adb server (the {@code adb} program's background process, port
 * 5037 or {@code ANDROID_ADB_SERVER_PORT}), which owns USB and {@code adb connect} transports and their keys:
 * {@link io.andock.adb.AdbClient} speaks its smart-socket protocol (list devices, shell, push, forward);
 * {@link io.andock.adb.DeviceSetup} is what {@code andock device setup} does with it. Pure Java, loaded only by
 * {@code andock device}. Depends on nothing but {@code io.andock} (its exception).
 */
package io.andock.adb;
