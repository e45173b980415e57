package io.andock.driver.oci;

import io.andock.driver.Driver;
import io.andock.driver.DriverContractTest;
import io.andock.testkit.Fixtures;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared driver contract with the oci driver on runc. */
class RuncContractTest extends DriverContractTest {
    private Driver driver;

    @Override
    protected void assumeUsable() {
        Fixtures.assumeAvailable();
        assumeTrue(RuntimeProbe.which("runc") != null, "runc not installed");
    }

    @Override
    protected Driver driver() {
        if (driver == null) driver = forRuntime("runc", false);
        return driver;
    }

    static Driver forRuntime(String name, boolean hideUnified) {
        try {
            Path state = Files.createTempDirectory("andock-" + name + "-state");
            state.toFile().deleteOnExit(); // empty by then: each container's state goes with it
            return new OciDriver(new OciRuntime(name, RuntimeProbe.which(name), state, hideUnified), true, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
