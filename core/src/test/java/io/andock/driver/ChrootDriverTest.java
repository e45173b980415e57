package io.andock.driver;

import io.andock.os.HostTools;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChrootDriverTest extends DriverContractTest {
    @Override
    protected Driver driver() {
        return new ChrootDriver();
    }

    @Override
    protected void assumeUsable() {
        assumeTrue(HostTools.isRoot(), "the chroot driver needs root");
        assumeTrue(HostTools.find("unshare") != null && HostTools.find("nsenter") != null, "util-linux missing");
    }
}
