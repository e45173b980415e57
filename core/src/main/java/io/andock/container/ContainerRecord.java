package io.andock.container;

import io.andock.os.Signals;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's {@code config.json}: what was asked ({@link ContainerSpec}), what it resolved to at create time
 * (image, main process, mounts with their volumes, hostname, driver, rootfs mode). Only its name ({@code rename})
 * and the spec's restart policy and resources ({@code update}) change after create.
 *
 * @param rootfsMode  {@code overlay} (image rootfs as lower dir, upper/work in the container dir) or {@code copy}
 * @param imageRootfs the image's snapshot rootfs (the overlay's lower dir)
 * @param mounts      the spec's mounts plus the image's VOLUMEs, with anonymous volume names filled in
 * @param imageConfig the image's run config ({@code Env, Cmd, StopSignal, ExposedPorts...}) as it was
 */
public record ContainerRecord(String id, String name, String created, ContainerSpec spec, String imageName,
                              String imageId, String driver, String rootfsMode, String imageRootfs, String hostname,
                              ProcessSpec process, List<MountSpec> mounts, JsonObject imageConfig) implements JsonWritable {

    public ContainerRecord {
        mounts = List.copyOf(mounts);
    }

    /** The same record under another name ({@code docker rename}). */
    public ContainerRecord withName(String newName) {
        ContainerSpec renamed = spec.name() == null ? spec : spec.toBuilder().name(newName).build();
        return new ContainerRecord(id, newName, created, renamed, imageName, imageId, driver, rootfsMode, imageRootfs,
                hostname, process, mounts, imageConfig);
    }

    /** The same record with another spec ({@code docker update}). */
    public ContainerRecord withSpec(ContainerSpec newSpec) {
        return new ContainerRecord(id, name, created, newSpec, imageName, imageId, driver, rootfsMode, imageRootfs,
                hostname, process, mounts, imageConfig);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    /** The stop signal: {@code --stop-signal}, else the image's, else SIGTERM. */
    public int stopSignal() {
        String s = spec.stopSignal() != null ? spec.stopSignal() : imageConfig.string("StopSignal");
        return s == null || s.isEmpty() ? Signals.TERM : Signals.parse(s);
    }

    /** The volumes made for this container alone (an image VOLUME or {@code -v /path}), not named by the user. */
    public List<String> anonymousVolumes() {
        List<String> out = new ArrayList<>();
        for (MountSpec m : mounts) {
            boolean named = spec.mounts().stream().anyMatch(s -> s.source() != null && s.source().equals(m.source()));
            if (m.type().equals(MountSpec.VOLUME) && !named) out.add(m.source());
        }
        return out;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", id);
        m.put("Name", name);
        m.put("Created", created);
        m.put("Spec", spec);
        m.put("ImageName", imageName);
        m.put("ImageId", imageId);
        m.put("Driver", driver);
        m.put("RootfsMode", rootfsMode);
        m.put("ImageRootfs", imageRootfs);
        m.put("Hostname", hostname);
        m.put("Process", process);
        m.put("Mounts", mounts);
        m.put("ImageConfig", imageConfig.map());
        return m;
    }

    public static ContainerRecord fromJson(JsonObject o) {
        List<MountSpec> mounts = new ArrayList<>();
        for (JsonObject x : o.objects("Mounts")) mounts.add(MountSpec.fromJson(x));
        return new ContainerRecord(o.string("Id"), o.string("Name"), o.string("Created"),
                ContainerSpec.fromJson(o.object("Spec")), o.string("ImageName"), o.string("ImageId"), o.string("Driver"),
                o.string("RootfsMode"), o.string("ImageRootfs"), o.string("Hostname"),
                ProcessSpec.fromJson(o.object("Process")), mounts, o.object("ImageConfig"));
    }
}
