package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.Dockerfile;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.json.JsonObject;
import io.andock.os.HostTools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Drives {@code andock build} as {@link StepExecutor} describes: parse, plan, then each needed stage in order —
 * base (an image, pulled when missing; an earlier stage; scratch), ONBUILD triggers, steps. A step whose cache key
 * is in the {@link BuildCache} (and whose layer blob is still stored) is taken from it; from the first miss on,
 * steps run in the stage's working rootfs and every layer-making step is committed as the diff it made.
 *
 * <p>Choices: a RUN, COPY or ADD that changes nothing records its history entry with {@code empty_layer} and no
 * layer (as BuildKit does; the classic builder stored an empty tar). WORKDIR makes no layer of its own: the
 * directory is created by the next RUN or COPY that needs it (or by the runtime at {@code run}). Progress is printed
 * as the classic builder prints it ({@code Step 2/5 : COPY . /app}, {@code  ---> Using cache}, …).
 */
public final class Builder {
    private final BuildBackend backend;

    private java.util.function.BooleanSupplier cancelled = () -> false;

    /** A build that ends early, its RUN killed, once {@code cancelled} says so (the API client went away). */
    public Builder(BuildBackend backend, java.util.function.BooleanSupplier cancelled) {
        this(backend);
        this.cancelled = cancelled;
    }

    public Builder(BuildBackend backend) {
        this.backend = backend;
    }

    /** What a finished stage leaves for later stages and for the image. */
    private record StageResult(StageRun run, String finalKey) {
    }

    /** {@code --label}s: set on the image config like a final LABEL would, without a history entry. */
    static JsonObject withLabels(JsonObject config, Map<String, String> labels) {
        if (labels.isEmpty()) return config;
        Map<String, Object> m = ConfigMutations.copy(config.map());
        labels.forEach((k, v) -> ConfigMutations.setLabel(m, k, v));
        return new JsonObject(m);
    }

    /** Builds {@code req}, printing progress and RUN output to {@code output}; returns the image ID. */
    public BuildResult build(BuildRequest req, OutputStream output) {
        PrintStream out = new PrintStream(req.quiet() ? OutputStream.nullOutputStream() : output, true, StandardCharsets.UTF_8);
        String text = readDockerfile(req.dockerfilePath());
        Dockerfile df = Dockerfile.parse(text);
        BuildPlan plan = BuildPlan.of(df, req.options());
        if (!Files.isDirectory(req.context())) {
            throw AndockException.notFound("unable to prepare context: path \"" + req.context() + "\" not found");
        }
        BuildContext context = BuildContext.open(req.context());
        for (String w : plan.warnings()) out.println("[Warning] " + w);
        Path scratch;
        try {
            scratch = BuildScratch.create(backend.workDir());
        } catch (IOException e) {
            throw AndockException.wrap("build scratch", e);
        }
        // SIGTERM or ^C ends the JVM without this thread's finally: the hook kills the RUN and removes the scratch
        // (the RUN killed first, then the build's own finally given a moment, so the two do not race)
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        Thread reaper = new Thread(() -> {
            BuildScratch.killRuns(scratch, this::driver);
            try {
                ended.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // reap now
            }
            BuildScratch.reap(scratch, this::driver);
        }, "andock-build-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try (AutoCloseable lease = backend.lease()) {
            OutputStream runErr = !req.quiet() && output instanceof RunStderrSink s ? s.runStderr() : out;
            Walk walk = new Walk(req, plan, context, text, scratch, out, runErr);
            StageResult last = null;
            for (BuildPlan.PlannedStage ps : plan.stages()) {
                if (cancelled.getAsBoolean()) throw RuntimeStepExecutor.cancelledError();
                last = walk.stage(ps);
            }
            JsonObject config = last.run().config();
            if (config == null && !req.labels().isEmpty()) { // dockerd's --label is a final LABEL: an image even then
                config = new JsonObject(ConfigMutations.scratch(plan.stages().get(plan.stages().size() - 1).platform()));
            }
            if (config == null) throw AndockException.invalid("the target stage is FROM scratch with no instructions: nothing to build");
            config = withLabels(config, req.labels());
            Digest id = backend.commit(config, last.run().layers(), req.tags());
            out.println("Successfully built " + id.hex().substring(0, 12));
            for (String t : req.tags()) out.println("Successfully tagged " + Reference.parse(t).familiar());
            if (req.quiet()) {
                new PrintStream(output, true, StandardCharsets.UTF_8).println(id);
            }
            return new BuildResult(id, req.tags());
        } catch (AndockException e) {
            throw e;
        } catch (Exception e) {
            throw AndockException.wrap("build", e);
        } finally { // also after an Error: the RUN container ends and nothing half-made stays
            BuildScratch.reap(scratch, this::driver);
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs too, harmlessly
            }
        }
    }

    private io.andock.driver.Driver driver(String name) {
        return backend.driver(name, io.andock.image.Platform.host());
    }

    private static String readDockerfile(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw AndockException.notFound("Cannot locate specified Dockerfile: " + f);
        } catch (IOException e) {
            throw AndockException.wrap("read " + f, e);
        }
    }

    /** One build's walk over its stages. */
    private final class Walk {
        private final BuildRequest req;
        /** The layers of the {@code --cache-from} images (found at the first cache hit), and whether any exists. */
        private java.util.Set<Digest> cacheFromLayers;
        private boolean cacheFromFound;
        private final BuildPlan plan;
        private final BuildContext context;
        private final String[] lines;
        private final Path scratch;
        private final PrintStream out;
        private final OutputStream runErr;
        private final BuildCache cache;
        private final LayerDiff diff;
        private final String created = io.andock.Timestamps.format(Instant.now());
        private final Map<Integer, StageResult> done = new HashMap<>();
        private final int total;
        private int stepNo;

        Walk(BuildRequest req, BuildPlan plan, BuildContext context, String text, Path scratch, PrintStream out,
             OutputStream runErr) {
            this.req = req;
            this.plan = plan;
            this.context = context;
            this.lines = text.split("\n", -1);
            this.scratch = scratch;
            this.out = out;
            this.runErr = runErr;
            this.cache = new BuildCache(backend.cacheDir());
            boolean root = HostTools.isRoot();
            this.diff = new LayerDiff(!root, uid(), gid());
            int n = 0;
            for (BuildPlan.PlannedStage ps : plan.stages()) n += 1 + ps.stage().instructions().size();
            this.total = n;
        }

        StageResult stage(BuildPlan.PlannedStage ps) {
            int fromLine = ps.stage().from().line();
            header(fromLine);
            JsonObject baseConfig = null;
            String identity = null;
            List<BuildBackend.Layer> baseLayers = List.of();
            if (ps.base() instanceof BuildPlan.Base.Image img) {
                BuildBackend.Image i;
                try {
                    i = backend.image(img.reference(), ps.platform(), out::println);
                } catch (AndockException e) {
                    throw e.withContext("Dockerfile:" + fromLine + ": FROM " + img.reference());
                }
                baseConfig = i.config();
                identity = i.id().toString();
                baseLayers = i.layers();
                out.println(" ---> " + i.id().hex().substring(0, 12));
            } else if (ps.base() instanceof BuildPlan.Base.Stage s) {
                StageResult r = done.get(s.index());
                baseConfig = r.run().config();
                identity = r.finalKey();
                baseLayers = r.run().layers();
                if (baseConfig != null) out.println(" ---> " + StageRun.id(baseConfig).hex().substring(0, 12));
            }
            Map<Integer, String> keys = new LinkedHashMap<>();
            done.forEach((k, v) -> keys.put(k, v.finalKey()));
            StageEvaluator.Result ev = StageEvaluator.evaluate(plan, ps, baseConfig, identity, keys, context, created);
            StageRun run = new StageRun(baseConfig, baseLayers, scratch.resolve("stage-" + ps.index()), backend);
            int triggers = ev.steps().size() - ps.stage().instructions().size();
            if (triggers > 0) out.println(" # Executing " + triggers + " build trigger" + (triggers > 1 ? "s" : ""));
            RuntimeStepExecutor exec = null;
            boolean missed = req.noCache();
            for (int i = 0; i < ev.steps().size(); i++) {
                Step step = ev.steps().get(i);
                if (i >= triggers) header(step.line());
                Optional<BuildCache.Entry> hit = missed ? Optional.empty() : cache.get(step.cacheKey()).filter(this::usable);
                JsonObject config;
                if (hit.isPresent()) {
                    out.println(" ---> Using cache");
                    config = run.record(step, hit.get().layer(), hit.get().created());
                } else {
                    missed = true;
                    if (exec == null && !(step.action() instanceof Step.Metadata)) exec = executor(ps, run);
                    BuildBackend.Layer layer = execute(step, run, exec, ps);
                    cache.put(step.cacheKey(), new BuildCache.Entry(layer, created));
                    config = run.record(step, layer, created);
                }
                out.println(" ---> " + StageRun.id(config).hex().substring(0, 12));
            }
            StageResult r = new StageResult(run, ev.finalKey());
            done.put(ps.index(), r);
            return r;
        }

        private boolean usable(BuildCache.Entry e) {
            if (e.layer() != null && !backend.hasBlob(e.layer().blob().digest())) return false;
            if (req.cacheFrom().isEmpty()) return true;
            // --cache-from: a step's layer must be one the named images hold; a step without one (ENV, LABEL...)
            // needs one of them to exist
            if (cacheFromLayers == null) {
                cacheFromLayers = new java.util.HashSet<>();
                for (String ref : req.cacheFrom()) {
                    backend.localImage(ref).ifPresent(i -> {
                        cacheFromFound = true;
                        for (BuildBackend.Layer l : i.layers()) cacheFromLayers.add(l.blob().digest());
                    });
                }
            }
            return e.layer() == null ? cacheFromFound : cacheFromLayers.contains(e.layer().blob().digest());
        }

        private RuntimeStepExecutor executor(BuildPlan.PlannedStage ps, StageRun run) {
            Path dir = scratch.resolve("exec-" + ps.index());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw AndockException.wrap("build scratch", e);
            }
            return new RuntimeStepExecutor(() -> backend.driver(req.driver(), ps.platform()), ps.platform(), dir, out, runErr)
                    .cancelledWhen(cancelled).withExtraHosts(req.options().extraHosts());
        }

        private BuildBackend.Layer execute(Step step, StageRun run, RuntimeStepExecutor exec, BuildPlan.PlannedStage ps) {
            if (step.action() instanceof Step.Metadata) {
                String id = shortRandom();
                out.println(" ---> Running in " + id);
                out.println("Removing intermediate container " + id);
                return null;
            }
            Path rootfs = run.rootfs();
            if (step.action() instanceof Step.Run r) {
                String id = exec.newContainerId().substring(0, 12);
                out.println(" ---> Running in " + id);
                exec.run(step, r, rootfs);
                out.println("Removing intermediate container " + id);
            } else if (step.action() instanceof Step.Copy c) {
                exec.copy(step, c, context, c.from() == null ? null : fromRootfs(c.from(), ps, step), rootfs);
            }
            return run.commitDiff(diff, req.compression());
        }

        private Path fromRootfs(BuildPlan.Base from, BuildPlan.PlannedStage ps, Step step) {
            if (from instanceof BuildPlan.Base.Stage s) return done.get(s.index()).run().currentRootfs();
            if (from instanceof BuildPlan.Base.Image img) {
                try {
                    BuildBackend.Image i = backend.image(img.reference(), ps.platform(), out::println);
                    if (!i.layers().isEmpty()) return backend.unpack(i.layers());
                } catch (AndockException e) {
                    throw e.withContext("Dockerfile:" + step.line() + ": COPY --from=" + img.reference());
                }
            }
            Path empty = scratch.resolve("empty-" + UUID.randomUUID());
            try {
                return Files.createDirectories(empty);
            } catch (IOException e) {
                throw AndockException.wrap("build scratch", e);
            }
        }

        private void header(int line) {
            stepNo++;
            out.println("Step " + stepNo + "/" + total + " : " + instructionText(line));
        }

        /** The instruction as written at {@code line}, continuation lines joined. */
        private String instructionText(int line) {
            if (line < 1 || line > lines.length) return "";
            char esc = plan.dockerfile().escape();
            StringBuilder b = new StringBuilder();
            for (int i = line - 1; i < lines.length; i++) {
                String l = lines[i].strip();
                boolean more = l.endsWith(String.valueOf(esc));
                if (more) l = l.substring(0, l.length() - 1).strip();
                if (b.length() > 0 && !l.isEmpty()) b.append(' ');
                b.append(l);
                if (!more) break;
            }
            return b.toString();
        }
    }

    private static String shortRandom() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long gid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
