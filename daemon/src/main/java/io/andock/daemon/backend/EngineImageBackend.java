package io.andock.daemon.backend;

import io.andock.engine.Engine;
import io.andock.engine.ImageDetails;
import io.andock.engine.ImageSummary;
import io.andock.image.Platform;
import io.andock.transfer.TransferListener;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** {@link ImageBackend} over the engine's images and transfers façades. */
public final class EngineImageBackend implements ImageBackend {
    private final Engine engine;

    public EngineImageBackend(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void pull(String ref, String platform, TransferListener progress) {
        engine.images().pull(ref, platform == null || platform.isEmpty() ? null : Platform.parse(platform), progress);
    }

    @Override
    public List<ImageSummary> list() {
        return engine.images().list();
    }

    @Override
    public ImageDetails inspect(String ref) {
        return engine.images().inspect(ref);
    }

    @Override
    public List<io.andock.engine.ImageHistory.Step> history(String ref) {
        return engine.images().history(ref);
    }

    @Override
    public io.andock.engine.PruneReport pruneBuildCache() {
        return engine.images().pruneBuildCache();
    }

    @Override
    public void tag(String source, String target) {
        engine.images().tag(source, target);
    }

    @Override
    public List<io.andock.engine.ImageDeletion> remove(String ref, boolean force) {
        return engine.images().remove(ref, force);
    }

    @Override
    public void save(List<String> refs, OutputStream out) {
        engine.transfers().save(refs, out);
    }

    @Override
    public List<io.andock.engine.LoadedImage> load(InputStream tar, TransferListener progress) {
        return engine.transfers().load(tar, progress);
    }

    @Override
    public String importRootfs(InputStream tar, String ref) {
        return engine.transfers().importRootfs(tar, ref).id().toString();
    }

    @Override
    public io.andock.engine.LayerUsage layerUsage() {
        return engine.images().layerUsage();
    }

    @Override
    public String importRootfs(InputStream tar, String ref, java.util.List<String> changes, String message) {
        return engine.transfers().importRootfs(tar, ref, changes, message).id().toString();
    }

    @Override
    public void push(String ref, TransferListener progress) {
        engine.transfers().push(ref, progress);
    }

    @Override
    public void login(String server, String user, String password) {
        engine.transfers().login(server, user, password);
    }

    @Override
    public io.andock.engine.PruneReport prune(boolean all, java.util.function.Predicate<io.andock.image.Digest> keep) {
        return engine.images().prune(all, keep);
    }

    @Override
    public java.util.Map<io.andock.image.Digest, Integer> containerCounts() {
        return engine.images().containerCounts();
    }

    @Override
    public long collectGarbage() {
        return engine.images().gc().reclaimedBytes();
    }

    @Override
    public io.andock.builder.BuildResult build(io.andock.builder.BuildRequest request, OutputStream progress,
                                             java.util.function.BooleanSupplier cancelled) {
        return engine.images().build(request, progress, cancelled);
    }
}
