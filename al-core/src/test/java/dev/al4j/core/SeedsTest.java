package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void splitMix64FromZeroGivesItsPublishedFirstOutputs() {
        // SplitMix64 with state 0: the first three outputs of the reference implementation.
        assertEquals(0xE220A8397B1DCDAFL, Seeds.element(0, 0));
        assertEquals(0x6E789E6AA1B965F4L, Seeds.element(0, 1));
        assertEquals(0x06C45D188009454FL, Seeds.element(0, 2));
        assertEquals(Seeds.finish(Seeds.GOLDEN_GAMMA), Seeds.element(0, 0));
    }

    @Test
    void mixFoldsEachPartThroughTheFinaliser() {
        // finish(h ^ finish(p + γ)) per part from h = finish(seed + γ), computed independently in Python.
        assertEquals(3418530623989724267L, Seeds.mix(7, 3, 1));
        assertEquals(Seeds.finish(7 + Seeds.GOLDEN_GAMMA), Seeds.mix(7));
    }
}
