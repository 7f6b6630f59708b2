package dev.al4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesFlatObjectsOnOneLine() {
        String line = Json.writer().put("strategy", "entropy").put("budget", 3).put("selected", new int[] {4, 0})
                .put("scores", new double[] {1.0, Double.NaN}).put("none", (String) null)
                .put("ms", 0.25).put("missing", (double[]) null).toString();
        assertEquals("{\"strategy\": \"entropy\", \"budget\": 3, \"selected\": [4, 0], \"scores\": [1.0, null], "
                + "\"none\": null, \"ms\": 0.25, \"missing\": null}", line);
        assertEquals("{\"a\":1,\"b\":[1,2],\"c\":null}", Json.compactWriter().put("a", 1).put("b", new int[] {1, 2})
                .put("c", Double.POSITIVE_INFINITY).toString());
        assertEquals("{}", Json.writer().toString());
        assertEquals("\"a\\\"b\\\\c\\u0009\\u000a\"", Json.quote("a\"b\\c\t\n"));
    }

    @Test
    void parsesDocuments() {
        Map<String, Object> o = Json.object(Json.parse(
                " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\\/\"], \"b\": {}, \"c\": []}\n"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(o.keySet()));
        assertEquals(Arrays.asList(1.0, -2500.0, true, false, null, "x\u00e9\n/"), Json.array(o.get("a")));
        assertEquals(Map.of(), o.get("b"));
        assertEquals(Double.NaN, Json.number("NaN"));
        assertEquals(Double.NEGATIVE_INFINITY, Json.number("-Infinity"));
        assertEquals(Double.NaN, Json.number(null));
    }

    @Test
    void badDocumentsSayWhereAndWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,\n}"));
        assertEquals("JSON: expected a string key at line 2 (offset 9), found '}'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertTrue(e.getMessage().contains("expected end of input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.object(Json.parse("[1]")));
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.number("seven"));
    }

    @Property(tries = 200)
    void whatIsWrittenReadsBack(@ForAll String name, @ForAll String value, @ForAll double number,
            @ForAll int[] ids) {
        String line = Json.writer().put("k", name).put(name.isEmpty() ? "_" : name + "!", value)
                .put("n", number).put("ids", ids).toString();
        Map<String, Object> back = Json.object(Json.parse(line));
        assertEquals(name, back.get("k"));
        assertEquals(value, back.get(name.isEmpty() ? "_" : name + "!"));
        assertEquals(Double.isFinite(number) ? (Object) number : null, back.get("n"));
        assertEquals(Arrays.stream(ids).mapToObj(i -> (Object) (double) i).toList(), Json.array(back.get("ids")));
    }
}
