package io.andock.engine;

import io.andock.AndockException;
import io.andock.host.DriverChoice;
import io.andock.host.DriverChoiceCache;
import io.andock.host.DriverChooser;
import io.andock.host.HostInfo;
import io.andock.host.HostProbe;
import io.andock.host.HostReport;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.driver.ChrootDriver;
import io.andock.task.ContainerService;
import io.andock.driver.Drivers;
import io.andock.driver.ProotDriver;
import io.andock.container.ResolvedImage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Joins the image side to the container side: the host probe picks the default driver (or the configured one),
 * and containers get their images from the engine's store. Built lazily: image commands never pay for it. The
 * choice is kept per boot ({@link DriverChoiceCache}): a {@code run} does not probe again.
 */
final class RuntimeSetup {
    private final Engine engine;
    private final EngineConfig config;
    private HostProbe probe;

    RuntimeSetup(Engine engine, EngineConfig config) {
        this.engine = engine;
        this.config = config;
    }

    synchronized HostProbe probe() {
        if (probe == null) probe = HostProbe.system(config.root().resolve("host"));
        return probe;
    }

    HostReport report(boolean full) {
        HostInfo info = full ? probe().full(config.root().resolve("tmp")) : probe().quick();
        return HostReport.of(info, Optional.ofNullable(config.driver()));
    }

    ContainerService containers() {
        return new ContainerService(config.root(), this::resolve, drivers(), new io.andock.net.Networking(config.root()),
                config.logConfig());
    }

    /** The drivers, the default being the one the host probe (or the configured {@code driver}) chose. */
    Drivers drivers() {
        String chosen = DriverChoiceCache.chosen(config.root().resolve("host"), config.driver(), this::choose);
        io.andock.Trace.phase("host probe");
        // The oci driver probes its runtime (a runc run, cached per boot) only when a container uses it.
        return new Drivers(chosen, new ProotDriver(), new ChrootDriver(), new LazyOciDriver(config.root()));
    }

    /** The host probe's choice (or the configured driver's, checked): oci, chroot or proot. */
    private String choose() {
        DriverChoice choice = DriverChooser.choose(probe().quick(), Optional.ofNullable(config.driver()));
        return switch (choice.driver()) {
            case OCI -> "oci";
            case CHROOT -> "chroot";
            case PROOT -> "proot";
        };
    }

    private ResolvedImage resolve(String ref, Platform platform) {
        LocalImage img = engine.images().resolve(ref);
        if (platform != null && platform.score(img.config().platform()) == 0) {
            throw AndockException.notFound("image " + ref + " is " + img.config().platform() + ", not " + platform);
        }
        Path rootfs = engine.images().rootfs(img.id().toString());
        String name = img.record().dangling() ? img.id().toString() : Reference.parse(img.record().name()).familiar();
        return new ResolvedImage(name, img.id(), img.config(), rootfs);
    }
}
