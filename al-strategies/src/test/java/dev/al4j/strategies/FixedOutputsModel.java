package dev.al4j.strategies;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.StochasticModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stochastic model that returns fixed arrays, unvalidated (unlike {@code PrecomputedModel}), so tests can feed
 * strategies NaN, infinity, rows that do not sum to 1 and wrong shapes. Row {@code i} of each array is pool id
 * {@code i}.
 */
final class FixedOutputsModel implements StochasticModel {

    private final int numClasses;
    private final INDArray probabilities; // [N, K']
    private final INDArray passes; // [T, N, K'] or null

    FixedOutputsModel(int numClasses, INDArray probabilities, INDArray passes) {
        this.numClasses = numClasses;
        this.probabilities = probabilities;
        this.passes = passes;
    }

    /** A plain {@link Model} view of {@code probabilities}: no other capability. */
    static Model plain(int numClasses, INDArray probabilities) {
        FixedOutputsModel m = new FixedOutputsModel(numClasses, probabilities, null);
        return new Model() {
            @Override
            public int numClasses() {
                return numClasses;
            }

            @Override
            public INDArray probabilities(Pool pool, int[] ids) {
                return m.probabilities(pool, ids);
            }
        };
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        return Nd4j.pullRows(probabilities, 1, ids);
    }

    @Override
    public int defaultPasses() {
        return (int) passes.size(0);
    }

    /** Returns every stored pass (whatever {@code t} asks for, so tests can return the wrong count). */
    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int t, long seed) {
        INDArray out = Nd4j.create(passes.dataType(), passes.size(0), ids.length, passes.size(2));
        for (int pass = 0; pass < passes.size(0); pass++) {
            out.putSlice(pass, Nd4j.pullRows(passes.slice(pass), 1, ids));
        }
        return out;
    }
}
