package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.factory.Nd4j;

/**
 * For every score-based strategy: scoring does not depend on the order of the ids asked, and the selection is the
 * candidates sorted by score, highest first, ties toward the lower id, whatever order the candidates were given in.
 * The models repeat a few distinct rows so that ties are frequent.
 */
class SelectionPropertiesTest {

    private static final List<QueryStrategy> STRATEGIES = List.of(Strategies.entropy(), Strategies.margin(),
            Strategies.leastConfidence(), Strategies.variationRatio(), Strategies.bald(), Strategies.meanStd(),
            Strategies.entropyMc(), Strategies.marginMc(), Strategies.leastConfidenceMc(),
            Strategies.variationRatioMc(), Strategies.voteEntropy(), Strategies.consensusEntropy(),
            Strategies.maxDisagreement());

    @Property(tries = 60)
    void selectionIsTheSortedScoresTiesTowardTheLowerId(
            @ForAll @IntRange(min = 0, max = 12) int which, @ForAll @IntRange(min = 1, max = 25) int budget,
            @ForAll long seed) {
        QueryStrategy strategy = STRATEGIES.get(which);
        int n = 40;
        int k = 3;
        int t = 3;
        SplittableRandom random = new SplittableRandom(seed);
        Model model = repetitiveModel(n, k, t, random, strategy instanceof QueryByCommittee);
        int[] subset = IntStream.range(0, n).filter(id -> random.nextInt(3) > 0).toArray();
        Pool pool = Pool.withoutInputs(n, k).withCandidates(shuffled(subset, random));
        int[] candidates = pool.candidates();
        AcquisitionFunction function = (AcquisitionFunction) strategy;
        double[] scores = function.score(pool, model, candidates);

        // Scoring the same ids in another order permutes the scores.
        int[] order = shuffled(candidates, random);
        double[] reordered = function.score(pool, model, order);
        for (int i = 0; i < order.length; i++) {
            assertEquals(scores[Arrays.binarySearch(candidates, order[i])], reordered[i], 0.0);
        }

        // The selection: sort by (score desc, id asc).
        Integer[] positions = IntStream.range(0, candidates.length).boxed().toArray(Integer[]::new);
        Arrays.sort(positions, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> candidates[i]));
        int[] expected = Arrays.stream(positions).limit(budget).mapToInt(i -> candidates[i]).toArray();
        assertArrayEquals(expected, strategy.select(pool, model, budget).ids(), strategy.toString());
    }

    /**
     * A model over {@code n} ids each of which copies one of 5 distinct prototypes (probabilities and {@code t}
     * passes), or a committee whose members are the passes.
     */
    private static Model repetitiveModel(int n, int k, int t, SplittableRandom random, boolean committee) {
        int prototypes = 5;
        float[][] passes = new float[t][];
        for (int j = 0; j < t; j++) {
            passes[j] = NaiveScores.randomRows(prototypes, k, random);
        }
        int[] of = random.ints(n, 0, prototypes).toArray();
        float[] mc = new float[t * n * k];
        for (int j = 0; j < t; j++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(passes[j], of[i] * k, mc, (j * n + i) * k, k);
            }
        }
        var samples = Nd4j.create(mc, new long[] {t, n, k}, 'c');
        if (committee) {
            List<Model> members = new ArrayList<>();
            for (int j = 0; j < t; j++) {
                members.add(PrecomputedModel.of(samples.slice(j).dup()));
            }
            return Committee.of(members);
        }
        return PrecomputedModel.builder(samples.slice(0).dup()).mcProbabilities(samples).build();
    }

    private static int[] shuffled(int[] a, SplittableRandom random) {
        int[] out = a.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = out[i];
            out[i] = out[j];
            out[j] = tmp;
        }
        return out;
    }
}
