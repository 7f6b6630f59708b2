package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.RowArrays;
import dev.al4j.core.StochasticModel;
import dev.al4j.strategies.internal.QueryOutputs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link EmbeddingModel} that answers from outputs already read for some pool ids, so that a composed strategy
 * (pre-filter, then cluster) runs the underlying model once per sample. Ids outside the cache (say, labeled ids a
 * k-center step asks for) and MC-dropout calls go to the underlying model. It hands the cached probabilities over
 * as {@link RowArrays}, so that a strategy scoring them (DBAL's default margin) reads floats, with no {@code INDArray}
 * in between.
 */
final class OutputCache implements EmbeddingModel, StochasticModel, RowArrays {

    private final Model source;
    private final ModelOutputs outputs;
    private final int[] rowOf; // pool id -> row in outputs, or -1

    OutputCache(EmbeddingModel source, Pool pool, ModelOutputs outputs) {
        this.source = source;
        this.outputs = outputs;
        this.rowOf = new int[pool.size()];
        java.util.Arrays.fill(rowOf, -1);
        for (int i = 0; i < outputs.ids.length; i++) {
            rowOf[outputs.ids[i]] = i;
        }
    }

    @Override
    public int numClasses() {
        return outputs.numClasses;
    }

    @Override
    public boolean supports(Class<? extends Model> capability) {
        return capability == StochasticModel.class ? source.supports(StochasticModel.class)
                : capability.isInstance(this);
    }

    /** The cache rows of {@code ids}, or {@code null} when some id is not cached. */
    private int[] rows(int[] ids) {
        Checks.checkNotNull(ids, "ids");
        int[] rows = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rowOf.length || rowOf[ids[i]] < 0) {
                return null;
            }
            rows[i] = rowOf[ids[i]];
        }
        return rows;
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        int[] rows = rows(ids);
        if (rows == null) {
            return source.probabilities(pool, ids);
        }
        return cachedProbabilities(rows);
    }

    private INDArray cachedProbabilities(int[] rows) {
        return Nd4j.create(cachedRows(rows), new long[] {rows.length, outputs.numClasses}, 'c');
    }

    /** The cached probabilities of {@code rows}, row-major. */
    private float[] cachedRows(int[] rows) {
        int k = outputs.numClasses;
        float[] p = new float[Math.multiplyExact(rows.length, k)];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(outputs.probabilities, rows[i] * k, p, i * k, k);
        }
        return p;
    }

    @Override
    public float[] probabilityRows(Pool pool, int[] ids) {
        int[] rows = rows(ids);
        if (rows == null) {
            return source instanceof RowArrays r ? r.probabilityRows(pool, ids)
                    : QueryOutputs.toFloats(source.probabilities(pool, ids));
        }
        return cachedRows(rows);
    }

    @Override
    public float[][] stochasticProbabilityRows(Pool pool, int[] ids, int passes, long seed) {
        return source instanceof RowArrays r ? r.stochasticProbabilityRows(pool, ids, passes, seed)
                : QueryOutputs.toPasses(stochastic().stochasticProbabilities(pool, ids, passes, seed));
    }

    @Override
    public int embeddingSize() {
        return outputs.embeddings.dimension();
    }

    @Override
    public Predictions predict(Pool pool, int[] ids) {
        int[] rows = rows(ids);
        if (rows == null) {
            return ((EmbeddingModel) source).predict(pool, ids);
        }
        int d = outputs.embeddings.dimension();
        float[] e = new float[ids.length * d];
        for (int i = 0; i < rows.length; i++) {
            outputs.embeddings.copyRow(rows[i], e, i * d);
        }
        return new Predictions(cachedProbabilities(rows), Nd4j.create(e, new long[] {ids.length, d}, 'c'));
    }

    @Override
    public int defaultPasses() {
        return stochastic().defaultPasses();
    }

    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
        return stochastic().stochasticProbabilities(pool, ids, passes, seed);
    }

    private StochasticModel stochastic() {
        Checks.checkState(source.supports(StochasticModel.class), "the underlying model %s has no MC passes",
                source.getClass().getSimpleName());
        return (StochasticModel) source;
    }

    @Override
    public String toString() {
        return "OutputCache[" + source + ", " + outputs.ids.length + " ids]";
    }
}
