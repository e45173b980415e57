package io.andock.daemon.http;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing of still-encoded paths: parameters, greedy image names, encoded slashes, 404 against 405. */
@Tag("unit")
class RouterTest {
    final Router.Route inspect = x -> { }, list = x -> { }, remove = x -> { }, imageJson = x -> { }, tag = x -> { },
            create = x -> { }, root = x -> { };
    final Router router = new Router()
            .get("/containers/json", list)
            .get("/containers/{id}/json", inspect)
            .delete("/containers/{id}", remove)
            .post("/containers/create", create)
            .get("/images/{name*}/json", imageJson)
            .post("/images/{name*}/tag", tag)
            .get("/_ping", root);

    Router.Match match(String method, String path) {
        return router.match(method, path, new boolean[1]);
    }

    @Test
    void match_fixedPath_beforeParameter_firstWins() {
        assertThat(match("GET", "/containers/json").route()).isSameAs(list);
        assertThat(match("GET", "/containers/abc/json").params()).containsExactly(Map.entry("id", "abc"));
    }

    @Test
    void match_trailingSlash_isIgnored() {
        assertThat(match("GET", "/containers/json/").route()).isSameAs(list);
        assertThat(match("GET", "/_ping").route()).isSameAs(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "library/busybox", "127.0.0.1:5000/a/b/c", "busybox:1.36", "busybox@sha256:" + "a"})
    void match_greedyName_takesSlashesUpToTheFixedTail(String name) {
        Router.Match m = match("GET", "/images/" + name + "/json");
        assertThat(m.route()).isSameAs(imageJson);
        assertThat(m.params()).containsEntry("name", name);
        assertThat(match("POST", "/images/" + name + "/tag").params()).containsEntry("name", name);
    }

    @Test
    void match_greedyName_needsAtLeastOneSegment() {
        assertThat(match("GET", "/images/json")).isNull();
        assertThat(match("GET", "/images//json")).isNull();
        assertThat(match("GET", "/images///json")).isNull();
    }

    @Test
    void match_encodedSlash_staysInsideItsParameter() {
        Router.Match m = match("DELETE", "/containers/a%2Fb");
        assertThat(m.route()).isSameAs(remove);
        assertThat(m.params()).containsEntry("id", "a/b");
        assertThat(match("GET", "/containers/a%2Fb/json").params()).containsEntry("id", "a/b");
    }

    @Test
    void match_percentEscapes_areDecoded_plusStaysPlus() {
        assertThat(match("GET", "/containers/my%20box/json").params()).containsEntry("id", "my box");
        assertThat(match("GET", "/containers/a+b/json").params()).containsEntry("id", "a+b");
        assertThat(match("GET", "/containers/%C3%A9t%C3%A9/json").params()).containsEntry("id", "été");
        assertThat(match("GET", "/containers/..%2F..%2Fetc/json").params()).containsEntry("id", "../../etc");
    }

    @Test
    void match_emptyParameter_doesNotMatch() {
        assertThat(match("GET", "/containers//json")).isNull();
        assertThat(match("DELETE", "/containers/")).isNull();
    }

    @Test
    void match_wrongMethod_isFlaggedFor405_unknownPathIsNot() {
        boolean[] wrong = new boolean[1];
        assertThat(router.match("POST", "/containers/json", wrong)).isNull();
        assertThat(wrong[0]).isTrue();
        boolean[] none = new boolean[1];
        assertThat(router.match("GET", "/nothing/here", none)).isNull();
        assertThat(none[0]).isFalse();
        assertThat(match("GET", "/containers/abc/json/extra")).isNull();
    }

    /** A greedy route of another method (docker rm --link's DELETE /containers/{link*}) does not make a path 405. */
    @Test
    void match_onlyAGreedyRouteOfAnotherMethod_isUnknownNot405() {
        Router r = new Router().get("/containers/{id}/json", inspect).delete("/containers/{link*}", remove);
        boolean[] wrong = new boolean[1];
        assertThat(r.match("GET", "/containers/a/b/json", wrong)).isNull();
        assertThat(wrong[0]).isFalse();
        assertThat(r.match("DELETE", "/containers/web/db", new boolean[1]).route()).isSameAs(remove);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/containers/%zz/json", "/containers/abc%/json", "/containers/%4/json"})
    void match_malformedEscape_isBadRequestNot500(String path) {
        assertThatThrownBy(() -> match("GET", path))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> Router.decode(path)).isInstanceOf(ApiException.class);
    }
}
