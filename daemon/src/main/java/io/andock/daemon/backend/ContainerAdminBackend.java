package io.andock.daemon.backend;

import io.andock.engine.ContainerChanges;
import io.andock.engine.ContainerSnapshots;
import io.andock.image.Digest;
import io.andock.task.ContainerEditor;
import io.andock.task.ContainerTop;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * What the endpoints that change or read a container as a whole need: rename, update, top, diff, export, commit.
 * Containers are named by id, name or unique id prefix; errors are core's kinds.
 */
public interface ContainerAdminBackend {
    /** Returns the container's id. */
    String rename(String ref, String newName);

    /** Docker's warnings. */
    List<String> update(String ref, ContainerEditor.Update update);

    ContainerTop.Table top(String ref, String psArgs);

    /** By path ({@code /etc/x}), sorted. */
    Map<String, ContainerChanges.Change> diff(String ref);

    void export(String ref, OutputStream out);

    Digest commit(String ref, ContainerSnapshots.CommitRequest request);

    /** The bytes the container wrote ({@code SizeRw}). */
    long sizeRw(String ref);

    /** What a registry holds under {@code ref}, without pulling. */
    io.andock.engine.DistributionInspect.Info distribution(String ref);

    /** Over the engine's container service and snapshots. */
    static ContainerAdminBackend of(io.andock.engine.Engine engine) {
        return new ContainerAdminBackend() {
            @Override
            public String rename(String ref, String newName) {
                return engine.containers().rename(ref, newName);
            }

            @Override
            public List<String> update(String ref, ContainerEditor.Update update) {
                return engine.containers().update(ref, update);
            }

            @Override
            public ContainerTop.Table top(String ref, String psArgs) {
                return engine.containers().top(ref, psArgs);
            }

            @Override
            public Map<String, ContainerChanges.Change> diff(String ref) {
                return engine.containerSnapshots().diff(ref);
            }

            @Override
            public void export(String ref, OutputStream out) {
                engine.containerSnapshots().export(ref, out);
            }

            @Override
            public Digest commit(String ref, ContainerSnapshots.CommitRequest request) {
                return engine.containerSnapshots().commit(ref, request);
            }

            @Override
            public long sizeRw(String ref) {
                return engine.containerSnapshots().sizeRw(ref);
            }

            @Override
            public io.andock.engine.DistributionInspect.Info distribution(String ref) {
                return engine.images().distribution(ref);
            }
        };
    }
}
