package io.andock.builder;

import io.andock.dockerfile.Dockerfile;
import io.andock.json.JsonObject;

import java.util.List;

/**
 * One resolved build step, ready for the executor: everything substituted, the image config as it is after the
 * step (with its history entry appended, without the layer's diff_id, which only the executor knows), and the
 * step's cache key. Steps of a stage chain: a step's key covers its parent's key, so a change at one step changes
 * the key of every step after it.
 *
 * @param line        the Dockerfile line (for ONBUILD triggers, the line of the FROM that ran them)
 * @param keyword     the instruction, upper case
 * @param createdBy   the history {@code created_by} text, Docker's classic form
 * @param emptyLayer  true for metadata steps, which produce no layer
 * @param config      the whole image config JSON after this step
 * @param cacheKey    {@code sha256:…} over the parent key, the substituted instruction, the run config and, for
 *                    COPY/ADD, the content checksum of the sources
 * @param action      what the executor has to do
 */
public record Step(int line, String keyword, String createdBy, boolean emptyLayer, JsonObject config,
                   String cacheKey, Action action) {

    /** The work of a step. Metadata steps need nothing beyond recording {@link Step#config()}. */
    public sealed interface Action {
    }

    /** Config-only: ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, WORKDIR, USER, VOLUME, SHELL, STOPSIGNAL, HEALTHCHECK, ONBUILD, ARG, MAINTAINER. */
    public record Metadata() implements Action {
    }

    /**
     * RUN: execute {@code argv} (the shell already prepended for the shell form) with exactly {@code env}
     * ({@code KEY=value}, the image env plus the build args in scope), as {@code user} (empty: root) in
     * {@code workdir} (created first if missing), then capture the changes as a layer.
     */
    public record Run(List<String> argv, List<String> env, String user, String workdir) implements Action {
        public Run {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }
    }

    /**
     * COPY or ADD. Sources come from exactly one place: the build context ({@code contextSources}, already
     * resolved and checked), another stage or image ({@code from} with {@code fromPaths}, paths or globs in that
     * root filesystem) or, for ADD only, {@code urls}. {@code dest} is absolute; {@code destIsDir} says the
     * destination was written as a directory (trailing {@code /}). A source directory copies its contents, not
     * itself. {@code chown} is the flag text ({@code user[:group]}, names resolved against the image's
     * /etc/passwd and /etc/group by the executor), null for root; {@code chmod} the mode for every copied file
     * and directory or null to keep the source modes. With {@code add}, a local tar archive (plain, gzip, bzip2,
     * xz) is extracted at the destination instead of copied.
     */
    public record Copy(boolean add, List<BuildContext.Entry> contextSources, BuildPlan.Base from,
                       List<String> fromPaths, List<String> urls, String dest, boolean destIsDir, String chown,
                       Integer chmod, String checksum) implements Action {
        public Copy {
            contextSources = List.copyOf(contextSources);
            fromPaths = List.copyOf(fromPaths);
            urls = List.copyOf(urls);
        }
    }
}
