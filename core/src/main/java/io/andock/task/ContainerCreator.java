package io.andock.task;

import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerRootfs;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerStore;
import io.andock.container.EtcFiles;
import io.andock.container.ImageResolver;
import io.andock.container.LogConfig;
import io.andock.container.MountSpec;
import io.andock.container.Names;
import io.andock.container.OciMount;
import io.andock.container.OciSpecs;
import io.andock.container.ProcessResolver;
import io.andock.container.ProcessSpec;
import io.andock.container.ResolvedImage;
import io.andock.container.StoreNames;
import io.andock.container.TreeCopy;
import io.andock.container.VolumeStore;
import io.andock.driver.Driver;
import io.andock.driver.DriverFeatures;
import io.andock.driver.Drivers;
import io.andock.os.HostTools;
import io.andock.AndockException;
import io.andock.image.Platform;
import io.andock.json.JsonObject;
import io.andock.os.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code create}: resolves the image, checks the flags against the driver, makes the container directory (rootfs,
 * volumes, /etc files, {@code /dev/shm} dir, OCI bundle) and publishes the record under a unique name.
 */
final class ContainerCreator {
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final ImageResolver images;
    private final Drivers drivers;
    private final ContainerNetworks networks;
    private final LogConfig defaultLog;

    ContainerCreator(ContainerStore store, VolumeStore volumes, ImageResolver images, Drivers drivers, ContainerNetworks networks,
                     LogConfig defaultLog) {
        this.defaultLog = defaultLog;
        this.store = store;
        this.volumes = volumes;
        this.images = images;
        this.drivers = drivers;
        this.networks = networks;
    }

    String create(ContainerSpec asked) {
        Driver driver = drivers.get(asked.driver());
        String id = ContainerStore.newId();
        ContainerNetworks.Plan plan = networks.plan(id, asked, driver);
        ContainerSpec spec = asked.toBuilder().networkMode(plan.mode()).ports(plan.ports())
                .logConfig(asked.logConfig() == null ? defaultLog : asked.logConfig()).build();
        io.andock.Trace.phase("create: network plan");
        String network = plan.mode();
        checkSupported(spec, driver);
        ResolvedImage image = images.resolve(spec.image(), spec.platform() == null ? null : Platform.parse(spec.platform()));
        JsonObject imageConfig = image.config().runConfig();
        String name = spec.name() != null && !spec.name().isEmpty() ? StoreNames.containerName(spec.name()) : Names.random();
        String hostname = spec.hostname() != null ? spec.hostname() : "host".equals(network) ? hostHostname() : id.substring(0, 12);
        ProcessSpec resolved = ProcessResolver.resolve(image.rootfs(), imageConfig, spec, hostname);
        LinkedContainers links = LinkedContainers.of(store, networks, spec, name, "host".equals(network));
        List<String> env = new ArrayList<>(resolved.env());
        env.addAll(links.env());
        ProcessSpec process = new ProcessSpec(resolved.args(), env, resolved.cwd(), resolved.uid(), resolved.gid(),
                resolved.additionalGids(), resolved.terminal());
        List<MountSpec> mounts = mounts(spec, imageConfig, image.rootfs());
        io.andock.Trace.phase("create: image, process");
        ContainerDir finalDir = store.dir(id);
        try {
            store.create(id, name, dir -> {
                try {
                    ContainerStore.writeImageUse(dir, image.imageId().toString(), image.rootfs().toString());
                } catch (IOException e) {
                    throw AndockException.wrap("create container", e);
                }
                String mode = ContainerRootfs.create(dir, image.rootfs());
                io.andock.Trace.phase("create: rootfs");
                ContainerRecord rec = new ContainerRecord(id, name, io.andock.Timestamps.format(Instant.now()), spec, image.name(),
                        image.imageId().toString(), driver.name(), mode, image.rootfs().toString(), hostname, process,
                        mounts, imageConfig);
                writeBundle(dir, finalDir, rec, driver, network, plan.netnsPath(), image, links.hosts());
                io.andock.Trace.phase("create: /etc, bundle");
                return rec;
            });
        } catch (RuntimeException | Error e) {
            removeNewAnonymousVolumes(spec, mounts);
            throw e;
        }
        io.andock.Trace.phase("create: published");
        return id;
    }

    /** The network mode and ports were checked by {@link ContainerNetworks#plan}. */
    private static void checkSupported(ContainerSpec spec, Driver driver) {
        DriverFeatures f = driver.features();
        if (!spec.resources().isEmpty() && !f.cgroups()) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "driver " + driver.name()
                    + " cannot limit resources (--memory, --cpus, --pids-limit need the oci driver with cgroups)");
        }
    }

    /** The user's mounts, then the image's VOLUMEs not covered by them as anonymous volumes; volumes created/seeded. */
    private List<MountSpec> mounts(ContainerSpec spec, JsonObject imageConfig, Path imageRootfs) {
        List<MountSpec> out = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (MountSpec m : spec.mounts()) {
            if (targets.contains(m.target())) throw AndockException.invalid("Duplicate mount point: " + m.target());
            targets.add(m.target());
            out.add(m);
        }
        for (String v : imageConfig.object("Volumes").map().keySet()) {
            if (!targets.contains(v)) out.add(new MountSpec(MountSpec.VOLUME, null, v, false, ""));
        }
        List<MountSpec> done = new ArrayList<>();
        for (MountSpec m : out) {
            switch (m.type()) {
                case MountSpec.BIND -> {
                    Path src = Path.of(m.source()).toAbsolutePath().normalize();
                    if (!Files.exists(src)) {
                        throw AndockException.invalid("invalid mount config for type \"bind\": bind source path does not exist: " + src);
                    }
                    done.add(m.withSource(src.toString()));
                }
                case MountSpec.VOLUME -> {
                    MountSpec v = m.source() == null ? m.withSource(ContainerStore.newId()) : m;
                    if (volumes.create(v.source())) volumes.seed(v.source(), imageRootfs, v.target());
                    done.add(v);
                }
                default -> done.add(m);
            }
        }
        return done;
    }

    private void removeNewAnonymousVolumes(ContainerSpec spec, List<MountSpec> mounts) {
        for (MountSpec m : mounts) {
            if (m.type().equals(MountSpec.VOLUME) && m.source().length() == 64 && spec.mounts().stream().noneMatch(s -> m.source().equals(s.source()))) {
                FileTrees.removeTree(volumes.dataDir(m.source()).getParent());
            }
        }
    }

    private void writeBundle(ContainerDir dir, ContainerDir finalDir, ContainerRecord r, Driver driver, String network, Path netns,
                             ResolvedImage image, List<String> linkHosts) {
        try {
            Map<String, Path> etc = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : EtcFiles.write(dir, r.hostname(), "host".equals(network)).entrySet()) {
                etc.put(e.getKey(), finalDir.path().resolve(dir.path().relativize(e.getValue())));
            }
            // above the peers' block (io.andock.net.PeerHosts), which is rewritten later
            if (!linkHosts.isEmpty()) Files.writeString(dir.hosts(), String.join("\n", linkHosts) + "\n", java.nio.file.StandardOpenOption.APPEND);
            Files.createDirectories(dir.bundle());
            List<OciMount> mounts = new ArrayList<>();
            for (MountSpec m : r.mounts()) {
                switch (m.type()) {
                    case MountSpec.BIND -> mounts.add(OciMount.bind(m.source(), m.target(), m.readOnly()));
                    case MountSpec.VOLUME -> mounts.add(OciMount.bind(volumes.dataDir(m.source()).toString(), m.target(), m.readOnly()));
                    default -> {
                        List<String> opts = new ArrayList<>(List.of("nosuid", "nodev"));
                        for (String o : m.options().split(",")) if (!o.isEmpty()) opts.add(o);
                        mounts.add(new OciMount(m.target(), "tmpfs", "tmpfs", opts));
                    }
                }
            }
            ProcessSpec process = r.process();
            if (r.spec().init()) {
                String tini = HostTools.find("tini-static");
                if (tini == null) {
                    throw new AndockException(AndockException.Kind.UNSUPPORTED, "--init needs a static tini on the host (Debian: apt install tini)");
                }
                mounts.add(OciMount.bind(tini, "/sbin/docker-init", true));
                List<String> args = new ArrayList<>(List.of("/sbin/docker-init", "--"));
                args.addAll(process.args());
                process = new ProcessSpec(args, process.env(), process.cwd(), process.uid(), process.gid(),
                        process.additionalGids(), process.terminal());
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(OciSpecs.PLATFORM_ANNOTATION, image.config().platform().toString());
            annotations.put("io.andock.container.name", r.name());
            Map<String, Object> spec = OciSpecs.generate(new OciSpecs.Input(process, finalDir.rootfs(), false,
                    r.hostname(), mounts, etc, network, annotations));
            if (netns != null) spec = OciSpecs.joinNetwork(spec, netns);
            spec = driver.adaptSpec(spec, r.spec());
            ContainerStore.write(dir.bundleSpec(), spec);
        } catch (IOException e) {
            throw AndockException.wrap("write bundle", e);
        }
    }

    static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
