package io.andock.driver.oci;

import java.nio.file.Path;

/** {@link OciDriverTestBase} with runc. */
class RuncDriverTest extends OciDriverTestBase {
    @Override
    OciRuntime runtime(Path stateRoot) {
        Path bin = RuntimeProbe.which("runc");
        return bin == null ? null : new OciRuntime("runc", bin, stateRoot, false);
    }
}
