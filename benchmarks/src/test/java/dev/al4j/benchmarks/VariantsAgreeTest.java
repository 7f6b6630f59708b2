package dev.al4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.al4j.core.Selection;
import org.junit.jupiter.api.Test;

/** The benchmarked variants of one algorithm select the same ids, on a scaled-down SCAL setting. */
class VariantsAgreeTest {

    private static final ScalSetting SMALL = ScalSetting.create(3000, 200, 48, 10, 7);

    private static int[] select(String variant, int budget) {
        Selection s = Variants.byName(variant).select(SMALL.pool(), SMALL.model(), budget);
        assertEquals(budget, s.size(), variant);
        return s.ids();
    }

    @Test
    void kCenterVariantsAgree() {
        int[] parallel = select("kCenterGreedy", 120);
        assertArrayEquals(parallel, select("kCenterGreedy1Thread", 120));
        assertArrayEquals(parallel, select("kCenterGemvBaseline", 120));
    }

    @Test
    void badgeVariantsAgree() {
        assertArrayEquals(select("badge", 120), select("badge1Thread", 120));
    }

    @Test
    void everyVariantRuns() {
        for (String v : new String[] {"kMeans", "dbal", "clusterMargin"}) {
            select(v, 60);
        }
    }
}
