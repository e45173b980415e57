package io.andock.image;

/** The media types andock reads and writes, OCI and Docker schema 2. */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDIST_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_FOREIGN_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";

    /** What a registry client sends in {@code Accept} when resolving a reference. */
    public static final String MANIFEST_ACCEPT = String.join(", ",
            OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    public static boolean isIndex(String mt) {
        return OCI_INDEX.equals(mt) || DOCKER_MANIFEST_LIST.equals(mt);
    }

    public static boolean isManifest(String mt) {
        return OCI_MANIFEST.equals(mt) || DOCKER_MANIFEST.equals(mt);
    }

    /** The compression of a layer media type. Unknown types are treated as "detect from the bytes". */
    public static Compression layerCompression(String mt) {
        if (mt == null) return Compression.DETECT;
        if (mt.endsWith("+zstd") || mt.endsWith(".zstd")) return Compression.ZSTD;
        if (mt.endsWith("+gzip") || mt.endsWith(".gzip")) return Compression.GZIP;
        if (mt.endsWith(".tar") || mt.endsWith("v1.tar")) return Compression.NONE;
        return Compression.DETECT;
    }

    public enum Compression { NONE, GZIP, ZSTD, DETECT }
}
