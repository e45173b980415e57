package io.andock.driver.oci;

import io.andock.driver.Driver;
import io.andock.driver.DriverContractTest;
import io.andock.testkit.Fixtures;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared driver contract with the oci driver on crun (without the cgroup2 mount on a hybrid layout). */
class CrunContractTest extends DriverContractTest {
    private Driver driver;

    @Override
    protected void assumeUsable() {
        Fixtures.assumeAvailable();
        assumeTrue(RuntimeProbe.which("crun") != null, "crun not installed");
    }

    @Override
    protected Driver driver() {
        if (driver == null) driver = RuncContractTest.forRuntime("crun", RuntimeProbe.hybridCgroups());
        return driver;
    }
}
