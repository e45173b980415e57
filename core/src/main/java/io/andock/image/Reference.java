package io.andock.image;

import io.andock.AndockException;

import java.util.regex.Pattern;

/**
 * An image reference, normalised the way Docker does it: {@code busybox} is {@code docker.io/library/busybox:latest},
 * {@code host:5000/a/b} keeps its registry, and a digest may stand with or without a tag.
 *
 * @param domain     registry host[:port], {@code docker.io} for Docker Hub
 * @param repository path inside the registry, e.g. {@code library/busybox}
 * @param tag        the tag, or null when only a digest was given
 * @param digest     the pinned digest, or null
 */
public record Reference(String domain, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");

    public static Reference parse(String s) {
        if (s == null || s.isEmpty()) throw AndockException.invalid("invalid reference format: empty name");
        String rest = s;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (AndockException e) {
                throw AndockException.invalid("invalid reference format: \"" + s + "\": bad digest");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw AndockException.invalid("invalid reference format: \"" + s + "\": bad tag");
        }
        String domain;
        String path;
        int first = rest.indexOf('/');
        String head = first < 0 ? rest : rest.substring(0, first);
        if (first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost") || !head.equals(head.toLowerCase()))) {
            domain = head;
            path = rest.substring(first + 1);
            if (!DOMAIN.matcher(domain).matches()) throw AndockException.invalid("invalid reference format: \"" + s + "\": bad registry host");
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals("index.docker.io") || domain.equals("registry-1.docker.io")) domain = DOCKER_HUB;
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) path = "library/" + path;
        if (path.isEmpty()) throw AndockException.invalid("invalid reference format: \"" + s + "\"");
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                String why = c.equals(c.toLowerCase()) ? "" : ": repository name must be lowercase";
                throw AndockException.invalid("invalid reference format: \"" + s + "\"" + why);
            }
        }
        // distribution counts the whole name, domain "/" path, against NameTotalLengthMax
        if (domain.length() + 1 + path.length() > 255) throw AndockException.invalid("invalid reference format: name too long");
        if (tag == null && digest == null) tag = "latest";
        return new Reference(domain, path, tag, digest);
    }

    /** {@code domain/repository}, the full name without tag or digest. */
    public String name() {
        return domain + "/" + repository;
    }

    /** The short name Docker shows: {@code busybox}, {@code user/app}, {@code 127.0.0.1:5000/busybox}. */
    public String familiarName() {
        if (domain.equals(DOCKER_HUB)) {
            return repository.startsWith("library/") ? repository.substring(8) : repository;
        }
        return name();
    }

    public Reference withTag(String newTag) {
        return new Reference(domain, repository, newTag, null);
    }

    /** The tag or digest as a registry's manifest URL wants it. */
    public String tagOrDigest() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The familiar form, as Docker prints it in {@code images} and {@code ps}. */
    public String familiar() {
        return familiarName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
