package io.andock.engine;

import io.andock.container.ContainerSpec;
import io.andock.driver.Driver;
import io.andock.driver.DriverFeatures;
import io.andock.driver.oci.OciDriver;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The oci driver, detected (which runtime works here, cgroups or not) on first use rather than at start-up. */
final class LazyOciDriver implements Driver {
    private final Path root;
    private OciDriver driver;

    LazyOciDriver(Path root) {
        this.root = root;
    }

    private synchronized OciDriver driver() {
        if (driver == null) driver = OciDriver.detect(root);
        return driver;
    }

    @Override
    public String name() {
        return "oci";
    }

    @Override
    public DriverFeatures features() {
        return driver().features();
    }

    @Override
    public List<String> runCommand(Path bundle, String containerId) {
        return driver().runCommand(bundle, containerId);
    }

    @Override
    public List<String> execCommand(Path bundle, String containerId, long mainPid, Map<String, Object> process) {
        return driver().execCommand(bundle, containerId, mainPid, process);
    }

    @Override
    public void pause(Path bundle, String containerId, long mainPid, boolean frozen) {
        driver().pause(bundle, containerId, mainPid, frozen);
    }

    @Override
    public void updateResources(Path bundle, String containerId, io.andock.container.Resources resources, boolean running) {
        driver().updateResources(bundle, containerId, resources, running);
    }

    @Override
    public void awaitRunning(Path bundle, String containerId, long mainPid, long deadlineNanos) {
        driver().awaitRunning(bundle, containerId, mainPid, deadlineNanos);
    }

    @Override
    public boolean makesTerminal() {
        return true; // runc and crun both do
    }

    @Override
    public void kill(Path bundle, String containerId, long mainPid, int signal, boolean all) {
        driver().kill(bundle, containerId, mainPid, signal, all);
    }

    @Override
    public Map<String, Object> adaptSpec(Map<String, Object> spec, ContainerSpec request) {
        return driver().adaptSpec(spec, request);
    }

    @Override
    public void delete(Path bundle, String containerId) {
        driver().delete(bundle, containerId);
    }
}
