package io.andock.image;

import io.andock.AndockException;
import io.andock.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Manifest, ImageIndex, ImageConfig and MediaTypes: parse, write back, select, refuse. */
@Tag("unit")
class ManifestTest {
    static final String D1 = "sha256:" + "1".repeat(64), D2 = "sha256:" + "2".repeat(64), D3 = "sha256:" + "3".repeat(64);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String manifestJson(String mediaTypeField) {
        return "{\"schemaVersion\":2," + mediaTypeField
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":7},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":100,"
                + "\"annotations\":{\"b\":\"2\",\"a\":\"1\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_ZSTD + "\",\"digest\":\"" + D3 + "\",\"size\":0}],"
                + "\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}}";
    }

    @Test
    void manifest_parse_readsConfigLayersAnnotations() {
        Manifest m = Manifest.parse(utf8(manifestJson("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",")), null);
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.config().digest()).hasToString(D1);
        assertThat(m.config().size()).isEqualTo(7);
        assertThat(m.layers()).extracting(d -> d.digest().toString()).containsExactly(D2, D3);
        assertThat(m.layers().get(0).annotations()).containsEntry("a", "1").containsEntry("b", "2");
        assertThat(m.annotations()).containsKey("org.opencontainers.image.created");
    }

    @Test
    void manifest_writeThenParse_isEqual() {
        Manifest m = Manifest.parse(utf8(manifestJson("")), MediaTypes.DOCKER_MANIFEST);
        Manifest again = Manifest.parse(Json.writeBytes(m), null);
        assertThat(again).isEqualTo(m);
        assertThat(Json.write(again)).isEqualTo(Json.write(m));
    }

    @Test
    void manifest_withoutMediaType_takesTheTransportsOrOci() {
        assertThat(Manifest.parse(utf8(manifestJson("")), MediaTypes.DOCKER_MANIFEST).mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(Manifest.parse(utf8(manifestJson("")), null).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(Manifest.parse(utf8(manifestJson("")), "").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void manifest_schema1_isUnsupported() {
        assertThatThrownBy(() -> Manifest.parse(utf8("{\"schemaVersion\":1,\"fsLayers\":[]}"), null))
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.UNSUPPORTED));
    }

    @Test
    void manifest_badInputs_areInvalidArgument() {
        String cfg = "\"config\":{\"digest\":\"" + D1 + "\",\"size\":1}";
        for (String bad : List.of(
                "{\"schemaVersion\":2}",
                "{\"schemaVersion\":2,\"manifests\":[]," + cfg + "}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"," + cfg + "}",
                "{\"schemaVersion\":2,\"config\":{\"size\":1}}",
                "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:zz\",\"size\":1}}",
                "{\"schemaVersion\":2," + cfg + ",\"layers\":[{\"digest\":\"" + D2 + "\",\"size\":-5}]}",
                "{\"schemaVersion\":2," + cfg + ",\"layers\":{}}",
                "{\"schemaVersion\":2," + cfg + ",\"layers\":[{\"digest\":7}]}",
                "{\"schemaVersion\":2,\"mediaType\":5," + cfg + "}",
                "[1,2]", "{", "")) {
            assertThatThrownBy(() -> Manifest.parse(utf8(bad), null)).as(bad)
                    .isInstanceOf(AndockException.class)
                    .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
        }
    }

    static String indexJson() {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + entry(D1, "amd64", null) + "," + entry(D2, "arm", "v6") + "," + entry(D3, "arm", "v7") + ","
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:" + "4".repeat(64)
                + "\",\"size\":9,\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:" + "5".repeat(64) + "\",\"size\":9}"
                + "]}";
    }

    static String entry(String digest, String arch, String variant) {
        return "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":500,"
                + "\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"" + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    @Test
    void index_select_exactVariantBeatsOlderOne() {
        ImageIndex ix = ImageIndex.parse(utf8(indexJson()), null);
        assertThat(ix.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(ix.manifests()).hasSize(5);
        assertThat(ix.select(Platform.parse("linux/arm/v7")).digest()).hasToString(D3);
        assertThat(ix.select(Platform.parse("linux/arm/v6")).digest()).hasToString(D2);
        assertThat(ix.select(Platform.parse("linux/arm/v8")).digest()).hasToString(D3);
        assertThat(ix.select(Platform.parse("x86_64")).digest()).hasToString(D1);
    }

    @Test
    void index_select_noMatch_isNotFoundListingOffers_andSkipsAttestations() {
        ImageIndex ix = ImageIndex.parse(utf8(indexJson()), null);
        assertThatThrownBy(() -> ix.select(Platform.parse("linux/s390x")))
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.NOT_FOUND))
                .hasMessageContaining("linux/s390x").hasMessageContaining("linux/arm/v7").hasMessageContaining("linux/amd64");
        assertThat(ix.select(Platform.parse("linux/amd64")).digest()).hasToString(D1);
    }

    @Test
    void index_isIndex_fromContentTypeOrDocument() {
        byte[] ix = utf8(indexJson());
        byte[] m = utf8(manifestJson(""));
        assertThat(ImageIndex.isIndex(ix, null)).isTrue();
        assertThat(ImageIndex.isIndex(ix, "application/octet-stream")).isTrue();
        assertThat(ImageIndex.isIndex(m, null)).isFalse();
        assertThat(ImageIndex.isIndex(m, MediaTypes.OCI_INDEX)).isTrue();
        assertThat(ImageIndex.isIndex(ix, MediaTypes.OCI_MANIFEST)).isFalse();
        assertThat(ImageIndex.isIndex(utf8("{\"manifests\":[]}"), null)).isTrue();
    }

    @Test
    void index_withoutManifests_isInvalid_andWithoutMediaType_isOci() {
        assertThatThrownBy(() -> ImageIndex.parse(utf8("{\"schemaVersion\":2}"), null)).isInstanceOf(AndockException.class);
        assertThat(ImageIndex.parse(utf8("{\"manifests\":[]}"), null).mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    }

    @Test
    void descriptor_toJson_roundTrips_withPlatformAndSortedAnnotations() {
        ImageIndex ix = ImageIndex.parse(utf8(indexJson()), null);
        Descriptor d = ix.manifests().get(2);
        assertThat(Descriptor.fromJson(io.andock.json.JsonObject.parse(Json.writeBytes(d)))).isEqualTo(d);
        Descriptor ann = new Descriptor("x", io.andock.image.Digest.parse(D1), 3, null, Map.of("z", "1", "a", "2"));
        assertThat(Json.write(ann)).contains("\"annotations\":{\"a\":\"2\",\"z\":\"1\"}");
    }

    @Test
    void descriptor_negativeSize_orMissingSize_isInvalid() {
        assertThatThrownBy(() -> new Descriptor("x", Digest.parse(D1), -1)).isInstanceOf(AndockException.class);
        assertThatThrownBy(() -> Descriptor.fromJson(io.andock.json.JsonObject.parse(utf8("{\"digest\":\"" + D1 + "\"}"))))
                .isInstanceOf(AndockException.class);
    }

    @Test
    void config_readsPlatformDiffIdsLabels_andComputesChainIds() {
        String json = "{\"architecture\":\"arm64\",\"os\":\"linux\",\"created\":\"2024-05-01T10:00:00Z\","
                + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Labels\":{\"a\":\"b\",\"n\":1}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D1 + "\",\"" + D2 + "\"]},\"history\":[{\"x\":1}]}";
        ImageConfig c = ImageConfig.parse(utf8(json));
        assertThat(c.platform()).isEqualTo(Platform.parse("linux/arm64/v8"));
        assertThat(c.created()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(c.labels()).containsExactly(Map.entry("a", "b"));
        assertThat(c.diffIds()).extracting(Digest::toString).containsExactly(D1, D2);
        List<Digest> chain = c.chainIds();
        assertThat(chain.get(0)).hasToString(D1);
        assertThat(chain.get(1)).isEqualTo(Digest.sha256(utf8(D1 + " " + D2)));
        // unknown fields survive a write
        assertThat(Json.write(c.json().map())).contains("\"history\":[{\"x\":1}]");
    }

    @Test
    void config_badDiffIds_areInvalid() {
        assertThatThrownBy(() -> ImageConfig.parse(utf8("{\"rootfs\":{\"diff_ids\":[1]}}")).diffIds()).isInstanceOf(AndockException.class);
        assertThatThrownBy(() -> ImageConfig.parse(utf8("{\"rootfs\":{\"diff_ids\":[\"sha256:x\"]}}")).diffIds()).isInstanceOf(AndockException.class);
        assertThat(ImageConfig.parse(utf8("{}")).diffIds()).isEmpty();
        assertThat(ImageConfig.parse(utf8("{}")).platform()).isEqualTo(Platform.parse("linux/amd64"));
    }

    @Test
    void mediaTypes_classifyIndexManifestAndCompression() {
        assertThat(MediaTypes.isIndex(MediaTypes.OCI_INDEX)).isTrue();
        assertThat(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST)).isTrue();
        assertThat(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST)).isFalse();
        assertThat(MediaTypes.isIndex(null)).isFalse();
        assertThat(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST)).isTrue();
        assertThat(MediaTypes.isManifest(MediaTypes.OCI_MANIFEST)).isTrue();
        assertThat(MediaTypes.isManifest(null)).isFalse();
        assertThat(MediaTypes.layerCompression(MediaTypes.OCI_LAYER)).isEqualTo(MediaTypes.Compression.NONE);
        assertThat(MediaTypes.layerCompression(MediaTypes.OCI_LAYER_GZIP)).isEqualTo(MediaTypes.Compression.GZIP);
        assertThat(MediaTypes.layerCompression(MediaTypes.OCI_LAYER_NONDIST_GZIP)).isEqualTo(MediaTypes.Compression.GZIP);
        assertThat(MediaTypes.layerCompression(MediaTypes.OCI_LAYER_ZSTD)).isEqualTo(MediaTypes.Compression.ZSTD);
        assertThat(MediaTypes.layerCompression(MediaTypes.DOCKER_LAYER_GZIP)).isEqualTo(MediaTypes.Compression.GZIP);
        assertThat(MediaTypes.layerCompression(MediaTypes.DOCKER_LAYER_FOREIGN_GZIP)).isEqualTo(MediaTypes.Compression.GZIP);
        assertThat(MediaTypes.layerCompression(MediaTypes.DOCKER_LAYER_ZSTD)).isEqualTo(MediaTypes.Compression.ZSTD);
        assertThat(MediaTypes.layerCompression(null)).isEqualTo(MediaTypes.Compression.DETECT);
        assertThat(MediaTypes.layerCompression("application/octet-stream")).isEqualTo(MediaTypes.Compression.DETECT);
        assertThat(MediaTypes.MANIFEST_ACCEPT).contains(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
    }
}
