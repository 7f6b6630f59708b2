package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Selection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PretextActiveLearningTest {

    static SyntheticData data;
    static Pool pool;
    static PretextActiveLearning pal;

    @BeforeAll
    static void setUp() {
        data = SyntheticData.blobs(80, 64, 4, 3);
        pool = data.pool(data.inputs.reshape('c', 80, 1, 8, 8), 24);
        pal = Dl4jStrategies.pal(Architectures.mlp().withHiddenLayers(16, 8),
                Training.adam(1e-3).withEpochs(2).withBatchSize(12)).withSubQueries(3).withSeed(5);
    }

    @Test
    void rotationsByHand() {
        // [[1, 2], [3, 4]] rotated counter-clockwise: 90° → [[2, 4], [1, 3]], 180° → [[4, 3], [2, 1]],
        // 270° → [[3, 1], [4, 2]].
        INDArray image = Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
        INDArray all = Rotations.allFour(image, new long[] {1, 2, 2});
        assertArrayEquals(new float[] {1, 2, 3, 4, 2, 4, 1, 3, 4, 3, 2, 1, 3, 1, 4, 2}, all.data().asFloat());
        // rotating the 90° copy by another 270° gives the original back
        INDArray back = Rotations.allFour(all.get(NDArrayIndex.interval(1, 2)), new long[] {1, 2, 2});
        assertEquals(image, back.get(NDArrayIndex.interval(3, 4)));
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1},
                Rotations.labels(1).data().asFloat());
        // the class labels of the rotated batch repeat each sample's row 4 times in place, as the fit assumes
        INDArray oneHot = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}});
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1},
                oneHot.repeat(0, 4).dup('c').data().asFloat());
    }

    @Test
    void scoresByHand() {
        // One sample, rotation probabilities of its 4 copies; the correct rotation's probabilities are 0.7, 0.1, 0.4
        // and 0.25: S_S = −(0.7 + 0.1 + 0.4 + 0.25) = −1.45.
        INDArray rot = Nd4j.createFromArray(new float[][] {{0.7f, 0.1f, 0.1f, 0.1f}, {0.5f, 0.1f, 0.2f, 0.2f},
                {0.2f, 0.2f, 0.4f, 0.2f}, {0.25f, 0.25f, 0.25f, 0.25f}});
        assertEquals(-1.45, PretextActiveLearning.selfSupervisionScores(rot)[0], 1e-6);
        // Class probabilities (only row 0, the unrotated copy, counts): uniform → KL 0 → S_C = 0;
        // (0.5, 0.25, 0.25) vs uniform, in nats: KL(U‖p) = (1/3)(ln((1/3)/0.5) + 2 ln((1/3)/0.25))
        // = (1/3)(−0.4054651 + 2 · 0.2876821) = 0.0566330 → S_C = −0.0566330 (in bits it would be −0.0817042).
        INDArray uniform = Nd4j.createFromArray(new float[][] {{1 / 3f, 1 / 3f, 1 / 3f}, {1, 0, 0}, {1, 0, 0},
                {1, 0, 0}});
        assertEquals(0.0, PretextActiveLearning.classificationScores(uniform)[0], 1e-6);
        INDArray skewed = Nd4j.createFromArray(new float[][] {{0.5f, 0.25f, 0.25f}, {1, 0, 0}, {1, 0, 0},
                {1, 0, 0}});
        assertEquals(-0.0566330, PretextActiveLearning.classificationScores(skewed)[0], 1e-6);
        // Two classes, p = (0.8, 0.2): KL(U‖p) = ½ ln(0.5/0.8) + ½ ln(0.5/0.2) = ½ ln(0.625 · 2.5) = ½ ln(1.5625)
        // = ln(1.25) = 0.2231436 nats.
        INDArray two = Nd4j.createFromArray(new float[][] {{0.8f, 0.2f}, {1, 0}, {1, 0}, {1, 0}});
        assertEquals(-Math.log(1.25), PretextActiveLearning.classificationScores(two)[0], 1e-6);
        assertEquals(-0.2231436, PretextActiveLearning.classificationScores(two)[0], 1e-6);
    }

    @Test
    void phiPrimeIsCopiedOnceAndCarriesItsFineTuningAcrossSubQueries() {
        // Algorithm 1 of seed 004: "Initialize: D_Q = ∅; φ′ = φ" once, then φ′ ← φ′ − η∇L(g_φ′(rot(x_q)), i) on all
        // of D_Q before each later sub-query. A recording fine-tuning step checks what the loop hands it.
        Architecture.Built built = Architectures.mlp().withHiddenLayers(6, 5).buildPretext(
                Dl4jLearner.baseConfiguration(Training.adam(1e-2), 3), new long[] {1, 4, 4}, 3);
        ComputationGraph phi = new ComputationGraph(built.configuration());
        phi.init();
        INDArray phiParams = phi.params().dup();
        List<ComputationGraph> nets = new ArrayList<>();
        List<INDArray> before = new ArrayList<>();
        List<INDArray> after = new ArrayList<>();
        List<int[]> picksSeen = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        PretextActiveLearning.FineTuning recording = (net, picks, q) -> {
            nets.add(net);
            before.add(net.params().dup());
            picksSeen.add(picks.clone());
            rates.add(net.getLearningRate(Architecture.ROTATION));
            net.setParams(net.params().add(0.01 * q)); // a stand-in update that the next call must see
            after.add(net.params().dup());
        };
        // 8 candidates (ids 10..17), base scores and per-sub-query diversity scores chosen by hand
        int[] candidates = {10, 11, 12, 13, 14, 15, 16, 17};
        double[] base = {8, 7, 6, 5, 4, 3, 2, 1};
        double[][] diversity = {{0, 0, 0, 0, 0, 0, 0, 10}, {0, 0, 0, 0, 9, 0, 0, 0}};
        int[] call = {0};
        Selection s = pal.subQueries(phi, base, candidates, 6, 3, 0.5, recording, net -> diversity[call[0]++]);
        // sub-query 1: top-2 base → 10, 11; sub-query 2: base + S_D → 17 (1 + 10), then 12 (6);
        // sub-query 3: base + S_D → 14 (4 + 9), then 13 (5)
        assertArrayEquals(new int[] {10, 11, 17, 12, 14, 13}, s.ids());
        assertArrayEquals(new double[] {8, 7, 11, 6, 13, 5}, s.scores().orElseThrow(), 0);
        assertEquals(2, nets.size());
        assertSame(nets.get(0), nets.get(1), "φ′ must be one network for the whole query");
        assertNotSame(phi, nets.get(0), "φ′ must be a copy of φ");
        assertEquals(phiParams, before.get(0)); // φ′ = φ at the start
        assertEquals(after.get(0), before.get(1)); // the second fine-tuning starts where the first ended
        assertEquals(phiParams, phi.params()); // φ itself untouched
        assertArrayEquals(new int[] {10, 11}, picksSeen.get(0)); // D_Q so far
        assertArrayEquals(new int[] {10, 11, 17, 12}, picksSeen.get(1));
        assertEquals(0.5, rates.get(0), 1e-12);
        // one sub-query: φ′ is never made
        nets.clear();
        pal.subQueries(phi, base, candidates, 3, 1, 0.5, recording, net -> new double[8]);
        assertTrue(nets.isEmpty());
    }

    @Test
    void selectsDistinctCandidatesReproducibly() {
        Selection a = pal.select(pool, null, 7);
        assertEquals(7, a.size());
        Set<Integer> seen = new HashSet<>();
        Set<Integer> candidates = new HashSet<>();
        for (int id : pool.candidates()) {
            candidates.add(id);
        }
        for (int id : a.ids()) {
            assertTrue(seen.add(id) && candidates.contains(id), "id " + id);
        }
        assertArrayEquals(a.ids(), pal.select(pool, null, 7).ids());
        // many sub-queries: later ones pick among the candidates left, never a repeat
        int[] many = pal.withSubQueries(6).select(pool, null, 30).ids();
        assertEquals(30, many.length);
        assertEquals(30, java.util.Arrays.stream(many).distinct().count());
        for (int id : many) {
            assertTrue(candidates.contains(id), "id " + id);
        }
        // the first sub-query (3 of 7 picks) is the top of S_S + λ₁ S_C: its scores are non-increasing
        double[] scores = a.scores().orElseThrow();
        assertTrue(scores[0] >= scores[1] && scores[1] >= scores[2], java.util.Arrays.toString(scores));
    }

    @Test
    void edgeCases() {
        assertEquals(0, pal.select(pool, null, 0).size());
        Pool few = pool.withCandidates(new int[] {30, 31, 32});
        int[] all = pal.withSubQueries(2).select(few, null, 10).ids();
        java.util.Arrays.sort(all);
        assertArrayEquals(new int[] {30, 31, 32}, all);
        assertThrows(IllegalArgumentException.class, () -> pal.select(pool, null, -1));
        Pool flat = data.pool(24);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pal.select(flat, null, 3));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        Pool unlabeled = Pool.of(PoolInputs.of(data.inputs.reshape('c', 80, 8, 8)), 4);
        assertThrows(IllegalArgumentException.class, () -> pal.select(unlabeled, null, 3));
    }

    @Test
    void valueSemantics() {
        assertEquals("Dl4jStrategies.pal(Architectures.mlp().withHiddenLayers(16, 8), Training.adam(0.001)"
                + ".withEpochs(2).withBatchSize(12)).withSubQueries(3).withSeed(5)", pal.toString());
        assertEquals(pal, pal.withSeed(5));
        assertEquals(pal.hashCode(), pal.withSeed(5).hashCode());
        assertThrows(IllegalArgumentException.class, () -> pal.withClassificationWeight(-1));
        assertThrows(IllegalArgumentException.class, () -> pal.withSubQueries(0));
    }
}
