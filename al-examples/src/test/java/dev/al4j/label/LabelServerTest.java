package dev.al4j.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.LabelRecord;
import dev.al4j.core.io.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labelling server's HTTP contract, without a browser: the token, validation, storage, rounds. */
class LabelServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private LabelFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new LabelFixture(dir);
        fx.await(LabelSession.Phase.LABELING, 0);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void everyRouteNeedsTheToken() throws Exception {
        for (String path : List.of("/", "/api/state", "/api/image/0", "/nowhere")) {
            assertEquals(401, get(path, null).statusCode(), path + " without a token");
            assertEquals(403, get(path, "wrong-token-000").statusCode(), path + " with a wrong token");
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(fx.base() + path + "?token=wrong-token-000"))
                    .GET().build()).statusCode(), path + " with a wrong token in the URL");
        }
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(fx.base() + "/api/answer"))
                .POST(HttpRequest.BodyPublishers.ofString(answer(0, firstId(), 1))).build());
        assertEquals(401, post.statusCode());
        assertTrue(fx.records().isEmpty(), "nothing stored without the token");
        // With the token, in the header or the URL.
        assertEquals(200, get("/api/state", LabelFixture.TOKEN).statusCode());
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(fx.base() + "/?token="
                + LabelFixture.TOKEN)).GET().build());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("al4j label"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    }

    @Test
    void badAnswersAreRefusedWithAMessageAndNothingIsStored() throws Exception {
        int id = firstId();
        int notAsked = notInQuery();
        assertRefused(400, answer(0, notAsked, 1), "id " + notAsked + " is not in the open query");
        assertRefused(400, answer(0, 999, 1), "id 999 is not in the open query");
        assertRefused(400, answer(0, id, 3), "label must be in [0, 3), found 3");
        assertRefused(400, answer(0, id, -1), "label must be in [0, 3), found -1");
        assertRefused(400, "{\"round\":0,\"id\":" + id + ",\"label\":1.5}", "\"label\" must be an integer");
        assertRefused(400, "{\"round\":0,\"id\":\"" + id + "\",\"label\":1}", "\"id\" must be an integer");
        assertRefused(400, "{\"round\":0,\"id\":" + id + "}", "\"label\" must be an integer, found null");
        assertRefused(400, "{\"round\":0,\"id\":" + id + ",\"label\":", "the body must be a JSON object");
        assertRefused(400, "[1,2]", "the body must be a JSON object");
        assertRefused(409, answer(1, id, 1), "the open query is round 0");
        assertRefused(413, "{\"pad\":\"" + "x".repeat(LabelServer.MAX_BODY_BYTES) + "\"}", "at most 4096 bytes");
        assertEquals(405, send(HttpRequest.newBuilder(URI.create(fx.base() + "/api/answer"))
                .header(LabelServer.TOKEN_HEADER, LabelFixture.TOKEN).GET().build()).statusCode());
        assertTrue(fx.records().isEmpty(), "nothing stored: " + fx.records());
        assertEquals(Map.of(), fx.session.state().answers());
    }

    @Test
    void answersAreStoredBeforeTheReplyRepeatsIgnoredChangesRelabel() throws Exception {
        int[] ids = fx.session.state().ids();
        HttpResponse<String> r = post("/api/answer", answer(0, ids[0], 2));
        assertEquals(200, r.statusCode(), r.body());
        // The reply comes after the commit: the store already holds it.
        assertEquals(List.of(ids[0] + "=2"), oracleLabels());
        Map<String, Object> state = Json.object(Json.parse(r.body()));
        assertEquals(Map.of(String.valueOf(ids[0]), 2.0), state.get("answers"));
        assertEquals(200, post("/api/answer", answer(0, ids[0], 2)).statusCode()); // a second tab, same answer
        assertEquals(List.of(ids[0] + "=2"), oracleLabels());
        assertEquals(200, post("/api/answer", answer(0, ids[0], 0)).statusCode()); // changed: a relabel
        assertEquals(List.of(ids[0] + "=2", ids[0] + "=0"), oracleLabels());
        assertEquals(Map.of(ids[0], 0), fx.session.state().answers());
    }

    @Test
    void closingARoundTrainsAndOpensTheNextQueryAndSkippedIdsStayUnlabeled() throws Exception {
        int[] ids = fx.session.state().ids();
        assertEquals(4, ids.length);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("/api/answer", answer(0, ids[i], i % 3)).statusCode());
        }
        HttpResponse<String> closed = post("/api/close", "{\"round\":0}");
        assertEquals(200, closed.statusCode(), closed.body());
        assertEquals(200, post("/api/close", "{\"round\":0}").statusCode(), "closing twice (two tabs) is harmless");
        LabelSession.State next = fx.await(LabelSession.Phase.LABELING, 1);
        assertEquals(3, next.ids().length);
        assertEquals(3, next.acquired());
        assertTrue(fx.session.state().answers().isEmpty());
        // Round 0's evaluation: one point, at 3 labels, an accuracy over 6 items (a multiple of 1/6).
        assertEquals(1, next.accuracy().size());
        assertEquals(3.0, next.accuracy().get(0)[0]);
        double accuracy = next.accuracy().get(0)[1];
        assertEquals(Math.round(accuracy * 6) / 6.0, accuracy, 1e-6, "k/6: " + accuracy);
        assertEquals(409, post("/api/answer", answer(0, ids[0], 1)).statusCode(), "round 0 is closed");
        assertEquals(409, post("/api/close", "{\"round\":5}").statusCode());
        // The skipped id has no label; the state JSON lists the new query.
        assertEquals(3, fx.records().size());
        Map<String, Object> state = Json.object(Json.parse(get("/api/state", LabelFixture.TOKEN).body()));
        assertEquals("labeling", state.get("phase"));
        assertEquals(1.0, state.get("round"));
        assertEquals(List.of("cat", "dog", "bird"), state.get("classes"));
        assertArrayEquals(next.ids(), Json.array(state.get("ids")).stream()
                .mapToInt(v -> ((Double) v).intValue()).toArray());
    }

    @Test
    void imagesAreServedByPoolIdOnly() throws Exception {
        HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(fx.base() + "/api/image/7"))
                .header(LabelServer.TOKEN_HEADER, LabelFixture.TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png.body(), 4));
        for (String bad : List.of("20", "-1", "x", "7.png", "..%2Fpom.xml", "%2e%2e/%2e%2e/pom.xml")) {
            int status = get("/api/image/" + bad, LabelFixture.TOKEN).statusCode();
            assertTrue(status == 404 || status == 400, bad + ": " + status);
        }
    }

    private void assertRefused(int status, String body, String message) throws Exception {
        HttpResponse<String> r = post("/api/answer", body);
        assertEquals(status, r.statusCode(), body + " -> " + r.body());
        String error = (String) Json.object(Json.parse(r.body())).get("error");
        assertTrue(error.contains(message), "'" + message + "' in " + error);
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    }

    private List<String> oracleLabels() {
        return fx.records().stream().filter(r -> r.source() == LabelRecord.Source.ORACLE)
                .map(r -> r.id() + "=" + r.label()).toList();
    }

    private int firstId() {
        return fx.session.state().ids()[0];
    }

    private int notInQuery() {
        int[] ids = fx.session.state().ids();
        for (int i = 0; ; i++) {
            int id = i;
            if (Arrays.stream(ids).noneMatch(q -> q == id)) {
                return id;
            }
        }
    }

    private static String answer(int round, int id, int label) {
        return "{\"round\":" + round + ",\"id\":" + id + ",\"label\":" + label + "}";
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.base() + path)).GET();
        if (token != null) {
            b.header(LabelServer.TOKEN_HEADER, token);
        }
        return send(b.build());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(fx.base() + path))
                .header(LabelServer.TOKEN_HEADER, LabelFixture.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
