package io.andock.driver.oci;

import java.nio.file.Path;

/** {@link OciDriverTestBase} with crun; on a hybrid cgroup layout in a mount namespace without the cgroup2 mount. */
class CrunDriverTest extends OciDriverTestBase {
    @Override
    OciRuntime runtime(Path stateRoot) {
        Path bin = RuntimeProbe.which("crun");
        return bin == null ? null : new OciRuntime("crun", bin, stateRoot, RuntimeProbe.hybridCgroups());
    }
}
