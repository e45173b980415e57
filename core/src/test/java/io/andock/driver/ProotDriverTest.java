package io.andock.driver;

import io.andock.os.HostTools;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProotDriverTest extends DriverContractTest {
    @Override
    protected Driver driver() {
        return new ProotDriver();
    }

    @Override
    protected void assumeUsable() {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
    }
}
