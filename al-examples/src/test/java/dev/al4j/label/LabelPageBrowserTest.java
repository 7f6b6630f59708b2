package dev.al4j.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.LabelRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * The page in a real headless Chromium: a batch labelled with the keyboard, going back and relabelling, a skip, the
 * end of the batch, training, the next round's query; a second tab stays consistent; without the token the page is
 * refused.
 */
class LabelPageBrowserTest {

    @TempDir
    Path dir;

    @Test
    void aPersonLabelsABatchWithTheKeyboardAndGetsTheNextQuery() throws Exception {
        try (LabelFixture fx = new LabelFixture(dir); Browser browser = Browser.start()) {
            browser.open(fx.server.url());
            int[] ids = fx.await(LabelSession.Phase.LABELING, 0).ids();
            assertEquals(ids[0], browser.awaitItem(0, 0));
            assertEquals("-1", browser.data("item", "answer"));
            assertTrue(browser.text("buttons").contains("cat"), browser.text("buttons"));

            browser.press("2"); // dog
            assertEquals(ids[1], browser.awaitItem(0, 1));
            // The page moved on only after the store held the answer.
            assertEquals(List.of(ids[0] + "=1"), labels(fx));
            browser.press(Keys.BACK_SPACE);
            assertEquals(ids[0], browser.awaitItem(0, 0));
            assertEquals("1", browser.data("item", "answer"), "going back shows the stored answer");
            browser.press("3"); // changed to bird: a relabel
            browser.awaitItem(0, 1);
            browser.press("s"); // skip ids[1]
            assertEquals(ids[2], browser.awaitItem(0, 2));
            browser.press("1");
            browser.awaitItem(0, 3);
            browser.press("1");
            browser.await("end of the batch", d -> browser.shown("endofbatch"));
            assertTrue(browser.text("summary").contains("3 answered, 1 skipped"), browser.text("summary"));
            assertEquals(List.of(ids[0] + "=1", ids[0] + "=2", ids[2] + "=0", ids[3] + "=0"), labels(fx));
            assertEquals(Map.of(ids[0], 2, ids[2], 0, ids[3], 0), fx.session.state().answers());

            browser.press(Keys.ENTER); // train, then the next query
            int[] next = fx.await(LabelSession.Phase.LABELING, 1).ids();
            assertEquals(next[0], browser.awaitItem(1, 0));
            assertTrue(browser.text("batch").contains("0 of 3 answered"), browser.text("batch"));
            assertTrue(browser.text("budget").contains("3 labels of 10"), browser.text("budget"));
            assertTrue(browser.shown("chart"), "the accuracy chart after round 0");
            assertTrue(browser.text("chart").contains("at 3 labels"), browser.text("chart"));

            // A second tab shows the same query and the answers the first one stored.
            browser.press("3");
            browser.awaitItem(1, 1);
            browser.driver().switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            browser.open(fx.server.url());
            assertEquals(next[1], browser.awaitItem(1, 1));
            browser.press(Keys.BACK_SPACE);
            browser.awaitItem(1, 0);
            assertEquals("2", browser.data("item", "answer"));
        }
    }

    @Test
    void thePageWithoutItsTokenIsRefused() throws Exception {
        try (LabelFixture fx = new LabelFixture(dir); Browser browser = Browser.start()) {
            browser.open(fx.base() + "/");
            String body = browser.driver().getPageSource();
            assertTrue(body.contains("needs its token"), body);
            browser.open(fx.base() + "/?token=not-the-token");
            assertTrue(browser.driver().getPageSource().contains("wrong token"));
            assertNotEquals(Boolean.TRUE, browser.driver().getPageSource().contains("class=\"bar\""));
            assertTrue(fx.records().isEmpty());
        }
    }

    private static List<String> labels(LabelFixture fx) {
        return fx.records().stream().filter(r -> r.source() == LabelRecord.Source.ORACLE)
                .map(r -> r.id() + "=" + r.label()).toList();
    }
}
