package dev.al4j.strategies.diversity;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import java.util.Objects;

/**
 * The first stage of a two-stage hybrid: keep the {@code ⌈factor·b⌉} candidates that score highest under an
 * acquisition function (ties toward the lower id), then let a batch strategy choose the {@code b} from them — the
 * pattern of DBAL, Cluster-Margin and "uncertainty, then diversity" hybrids in general.
 *
 * <pre>{@code
 * QueryStrategy hybrid = Strategies.prefilter(Strategies.entropy(), 10).then(Strategies.kCenterGreedy());
 * Selection next = hybrid.select(pool, model, 100);
 * }</pre>
 *
 * <p>When the model is an {@code EmbeddingModel}, the candidates' probabilities and embeddings are read once and
 * both stages read that copy, so the model runs once per candidate. Cost: the acquisition's and the second stage's
 * cost on {@code ⌈factor·b⌉} candidates, plus O(N·(d + K)) for the shared outputs. Immutable and thread-safe when the
 * parts are.
 */
public final class Prefilter {

    private final AcquisitionFunction acquisition;
    private final double factor;

    private Prefilter(AcquisitionFunction acquisition, double factor) {
        this.acquisition = acquisition;
        this.factor = factor;
    }

    /** Keeps the top {@code ⌈factor·b⌉} candidates by {@code acquisition}; {@code factor >= 1} and finite. */
    public static Prefilter of(AcquisitionFunction acquisition, double factor) {
        Checks.checkNotNull(acquisition, "acquisition");
        Checks.checkArgument(factor >= 1 && factor < Double.POSITIVE_INFINITY, "factor must be finite and >= 1, found %s",
                factor);
        return new Prefilter(acquisition, factor);
    }

    /** The two-stage strategy: this filter, then {@code next} on the kept candidates. */
    public QueryStrategy then(QueryStrategy next) {
        Checks.checkNotNull(next, "next");
        return new TwoStage(this, next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefilter p && p.acquisition.equals(acquisition) && p.factor == factor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(acquisition, factor);
    }

    @Override
    public String toString() {
        return "Strategies.prefilter(" + acquisition + ", " + factor + ")";
    }

    private record TwoStage(Prefilter filter, QueryStrategy next) implements QueryStrategy {

        @Override
        public Selection select(Pool pool, Model model, int budget) {
            return QueryOutputs.select(pool, model, budget,
                    (candidates, start) -> select(pool, model, budget, candidates, start));
        }

        private Selection select(Pool pool, Model model, int budget, int[] candidates, long start) {
            Model view = model;
            if (model.supports(EmbeddingModel.class)) {
                EmbeddingModel m = (EmbeddingModel) model;
                view = new OutputCache(m, pool, ModelOutputs.read(m, pool, candidates, true));
            }
            double[] scores = filter.acquisition.score(pool, view, candidates.clone());
            DiverseMiniBatch.checkScores(filter.acquisition, scores, candidates);
            int keep = (int) Math.min(candidates.length, Math.ceil(filter.factor * budget));
            int[] kept = TopK.top(scores, candidates, keep);
            int[] keptIds = new int[kept.length];
            for (int i = 0; i < kept.length; i++) {
                keptIds[i] = candidates[kept[i]];
            }
            Arrays.sort(keptIds);
            Selection s = next.select(pool.withCandidates(keptIds), view, budget);
            return s.withQueryNanos(System.nanoTime() - start);
        }

        @Override
        public String toString() {
            return filter + ".then(" + next + ")";
        }
    }
}
