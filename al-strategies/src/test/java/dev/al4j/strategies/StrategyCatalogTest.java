package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Learner;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Selection;
import dev.al4j.core.TrainingData;
import dev.al4j.strategies.StrategyCatalog.Entry;
import dev.al4j.strategies.StrategyCatalog.Reads;
import dev.al4j.strategies.StrategyCatalog.Setup;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Strategies#catalog()}: names, factories, and what each strategy says it reads is what it needs. */
class StrategyCatalogTest {

    private static final int N = 16;
    private static final int K = 3;
    private static final int D = 4;
    private static final int T = 5;

    /** Rows of random positive numbers scaled to sum to 1, {@code [rows, K]}. */
    private static double[][] probabilities(int rows, SplittableRandom random) {
        double[][] p = new double[rows][K];
        for (double[] row : p) {
            double sum = 0;
            for (int c = 0; c < K; c++) {
                row[c] = 0.1 + random.nextDouble();
                sum += row[c];
            }
            for (int c = 0; c < K; c++) {
                row[c] /= sum;
            }
        }
        return p;
    }

    private static INDArray probs(long seed) {
        return Nd4j.create(probabilities(N, new SplittableRandom(seed))).castTo(DataType.FLOAT);
    }

    private static INDArray mc(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray mc = Nd4j.create(DataType.FLOAT, T, N, K);
        for (int t = 0; t < T; t++) {
            mc.putSlice(t, Nd4j.create(probabilities(N, random)).castTo(DataType.FLOAT));
        }
        return mc;
    }

    private static INDArray embeddings(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] e = new double[N][D];
        for (double[] row : e) {
            for (int j = 0; j < D; j++) {
                row[j] = random.nextDouble() * 2 - 1;
            }
        }
        return Nd4j.create(e).castTo(DataType.FLOAT);
    }

    /** A model with exactly what {@code reads} names (every model has probabilities). */
    private static Model modelReading(Reads reads) {
        PrecomputedModel.Builder model = PrecomputedModel.builder(probs(1));
        if (reads == Reads.MC_PASSES) {
            model.mcProbabilities(mc(2));
        }
        if (reads == Reads.EMBEDDINGS) {
            model.embeddings(embeddings(3));
        }
        return model.build();
    }

    /** Two labeled samples of each class, the rest candidates. */
    private static Pool pool() {
        return Pool.withoutInputs(N, K).withLabels(new int[] {0, 1, 2, 3, 4, 5}, new int[] {0, 0, 1, 1, 2, 2});
    }

    private static final EnumSet<Reads> PRECOMPUTED = EnumSet.of(Reads.NOTHING, Reads.PROBABILITIES,
            Reads.MC_PASSES, Reads.EMBEDDINGS);

    @Test
    void everyEntryBuildsItsFactorysStrategyWithTheSeed() {
        for (Entry e : Strategies.catalog().entries()) {
            String built = e.create(7).toString();
            assertTrue(built.startsWith("Strategies." + e.method() + "()"), () -> e + " builds " + built);
            if (built.contains("withSeed(")) {
                assertTrue(built.contains("withSeed(7)"), () -> e + " builds " + built);
            }
            assertEquals(e.create(7), e.create(Setup.ofSeed(7)), e.name());
        }
        StrategyCatalog c = Strategies.catalog();
        assertEquals(Strategies.random().withSeed(7), c.get("random").create(7));
        assertEquals(Strategies.badge().withSeed(7), c.get("badge").create(7));
        assertEquals(Strategies.kMeans().withSeed(7), c.get("kmeans").create(7));
        assertEquals(Strategies.bald().withSeed(7), c.get("bald").create(7));
        assertEquals(Strategies.kCenterGreedy(), c.get("kcenter").create(7));
        assertEquals(Strategies.variationRatio(), c.get("var-ratio").create(7));
        assertEquals(Strategies.variationRatioMc().withSeed(7), c.get("var-ratio-mc").create(7));
        assertEquals(Strategies.deepFeatureModeling(), c.get("dfm").create(7));
        assertEquals(Strategies.maxDisagreement(), c.get("max-disagreement").create(7));
    }

    @Test
    void whatAStrategyReadsIsEnoughAndOneCapabilityLessIsNot() {
        Pool pool = pool();
        for (Entry e : Strategies.catalog().entries()) {
            if (!PRECOMPUTED.contains(e.reads())) {
                continue;
            }
            Selection s = e.create(3).select(pool, modelReading(e.reads()), 4);
            assertEquals(4, s.size(), e.name());
            assertEquals(4, java.util.Arrays.stream(s.ids()).filter(id -> id >= 6).distinct().count(), e.name());
            if (e.reads() == Reads.MC_PASSES || e.reads() == Reads.EMBEDDINGS) {
                Model less = modelReading(e.reads() == Reads.MC_PASSES ? Reads.EMBEDDINGS : Reads.MC_PASSES);
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> e.create(3).select(pool, less, 4), e.name());
                assertTrue(error.getMessage().contains(e.reads() == Reads.MC_PASSES ? "StochasticModel"
                        : "EmbeddingModel"), error::getMessage);
            }
        }
    }

    @Test
    void theCommitteeStrategiesReadACommitteeAndTrainOneOfTheSetupsLearner() {
        Pool pool = pool();
        Committee committee = CommitteeFixtures.committee(N, K, 3, 9);
        Model single = modelReading(Reads.PROBABILITIES);
        List<String> names = List.of("vote-entropy", "consensus-entropy", "max-disagreement");
        Learner<PrecomputedModel> member = (data, progress) -> PrecomputedModel.of(probs(data.seed()));
        Setup setup = Setup.ofSeed(1).withLearner(member).withCommitteeSize(3);
        for (String name : names) {
            Entry e = Strategies.catalog().get(name);
            assertEquals(Reads.COMMITTEE, e.reads());
            assertTrue(e.trainsOwnLearner(), name);
            assertEquals(4, e.create(1).select(pool, committee, 4).size(), name);
            assertThrows(IllegalArgumentException.class, () -> e.create(1).select(pool, single, 4), name);
            Model fitted = e.learner(setup).fit(TrainingData.of(pool, 5));
            assertTrue(fitted instanceof Committee, name);
            assertEquals(3, ((Committee) fitted).size(), name);
            IllegalArgumentException noLearner = assertThrows(IllegalArgumentException.class,
                    () -> e.learner(Setup.ofSeed(1)));
            assertTrue(noLearner.getMessage().startsWith("strategy " + name + " trains a learner"),
                    noLearner::getMessage);
        }
        Entry entropy = Strategies.catalog().get("entropy");
        assertFalse(entropy.trainsOwnLearner());
        assertEquals(member, entropy.learner(setup), "the setup's learner, as it is");
    }

    @Test
    void namesAreKebabCaseUniqueAndLookedUpIgnoringCase() {
        StrategyCatalog c = Strategies.catalog();
        assertEquals(c.entries().size(), c.names().stream().distinct().count());
        for (String name : c.names()) {
            assertTrue(name.matches("[a-z0-9]+(-[a-z0-9]+)*"), name);
            assertEquals(name, c.get(" " + name.toUpperCase(java.util.Locale.ROOT)).name());
            assertEquals(name, c.find(name).orElseThrow().name());
        }
        assertFalse(c.find("Entropy").isPresent(), "find is exact");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("nope"));
        assertEquals("unknown strategy 'nope'; known: " + String.join(", ", c.names()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Entry.of("Entropy", "entropy", Reads.PROBABILITIES, "O(N)",
                s -> Strategies.entropy()));
    }

    @Test
    void aModuleExtendsTheCatalogWithNewNamesOnly() {
        StrategyCatalog c = Strategies.catalog();
        Entry mine = Entry.of("my-entropy", "entropy", Reads.PROBABILITIES, "O(N·K)", s -> Strategies.entropy());
        StrategyCatalog more = c.plus(List.of(mine));
        assertEquals(c.entries().size() + 1, more.entries().size());
        assertEquals(c.entries(), more.entries().subList(0, c.entries().size()), "the base entries first, in order");
        assertEquals(mine, more.get("my-entropy"));
        assertEquals(c, Strategies.catalog());
        assertNotEquals(c, more);
        String last = c.names().get(c.names().size() - 1);
        assertTrue(more.toString().endsWith(", " + last + ", my-entropy]"), more::toString);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.plus(List.of(
                Entry.of("entropy", "entropy", Reads.PROBABILITIES, "O(N·K)", s -> Strategies.entropy()))));
        assertEquals("strategy name 'entropy' is listed twice", e.getMessage());
    }

    @Test
    void setupsAreValuesThatEchoHowTheyWereBuilt() {
        Setup a = Setup.ofSeed(3).withPasses(7).withCommitteeSize(4);
        assertEquals(a, Setup.ofSeed(3).withCommitteeSize(4).withPasses(7));
        assertEquals(a.hashCode(), Setup.ofSeed(3).withCommitteeSize(4).withPasses(7).hashCode());
        assertNotEquals(a, Setup.ofSeed(4).withPasses(7).withCommitteeSize(4));
        assertEquals("StrategyCatalog.Setup.ofSeed(3).withPasses(7).withCommitteeSize(4)", a.toString());
        assertEquals("StrategyCatalog.Setup.ofSeed(0)", Setup.ofSeed(0).toString());
        assertEquals(Setup.DEFAULT_PASSES, Setup.ofSeed(0).passes());
        assertFalse(Setup.ofSeed(0).learner().isPresent());
        assertEquals("passes must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> a.withPasses(0)).getMessage());
        assertEquals("committee size must be >= 2, found 1",
                assertThrows(IllegalArgumentException.class, () -> a.withCommitteeSize(1)).getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> a.augmenter("x"));
        assertTrue(flat.getMessage().startsWith("strategy x augments images"), flat::getMessage);
    }
}
