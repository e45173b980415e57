package io.andock.builder;

import io.andock.dockerfile.Dockerfile;

import java.nio.file.Path;

/**
 * The seam between planning and doing: the part of {@code andock build} that touches root filesystems and runs
 * processes. Implemented on top of the container runtime by {@link RuntimeStepExecutor}; everything before it is pure.
 *
 * <p>How a build is driven, by the caller ({@link Builder}):
 * <ol>
 *   <li>{@code Dockerfile.parse}, then {@code BuildPlan.of(dockerfile, options)}; print {@code plan.warnings()}.</li>
 *   <li>For each {@code plan.stages()} in order: find the base ({@code Base.Image}: pull or find locally, for the
 *       stage's platform; {@code Base.Stage}: the result of that earlier stage; {@code Base.Scratch}: nothing) and
 *       its config and identity (an image's config digest, a stage's final cache key, {@code "scratch"}).</li>
 *   <li>{@code StageEvaluator.evaluate(...)} with that config, identity, the build context and the final keys of
 *       the earlier stages: it returns every step already substituted, keyed, with the config after it.</li>
 *   <li>Walk the steps: when the cache holds a result for {@code step.cacheKey()}, take it and go on (a hit at
 *       every step when nothing changed); from the first miss on, prepare a writable root filesystem from the
 *       parent result and call {@link #run} or {@link #copy} for each step with a layer, committing the diff as a
 *       layer (its diff_id appended to {@code step.config()}'s rootfs) under the step's key. Metadata steps need
 *       no call: their config is ready.</li>
 *   <li>The target stage's last config and layers make the image.</li>
 * </ol>
 * Implementations are called from one thread per build; they must not change {@code rootfs} outside the step's
 * effect, and they report failures as {@code AndockException} with the step's line in the message
 * ({@code Dockerfile:12: RUN make: exit code 2}).
 */
public interface StepExecutor {

    /**
     * Runs a RUN step in a container whose root filesystem is {@code rootfs} (writable, already holding the parent
     * layers), with the step's argv, env, user and workdir, network as configured for the build, no TTY. Output
     * goes to the build's progress stream. Throws when the process exits non-zero.
     */
    void run(Step step, Step.Run run, Path rootfs);

    /**
     * Performs a COPY/ADD into {@code rootfs}. {@code fromRootfs} is the root filesystem of the stage or image in
     * {@code copy.from()}, null for context sources. Context sources are read through the {@link BuildContext}
     * that produced them, never by following a symlink out of it; paths in {@code fromRootfs} likewise stay in it.
     * Intermediate destination directories are created owned by root; copied entries get {@code chown}/{@code chmod}.
     */
    void copy(Step step, Step.Copy copy, BuildContext context, Path fromRootfs, Path rootfs);
}
