package dev.al4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A model over outputs someone already computed, keyed by pool id: row {@code i} of every array is pool id
 * {@code i}. This is how a PyTorch (or any other) pipeline uses al4j: dump the outputs as {@code .npy}, read them,
 * select.
 *
 * <p>It offers {@link EmbeddingModel} only when embeddings were given and {@link StochasticModel} only when MC
 * samples were given ({@link #supports}). The arrays are validated once when built and not copied; do not modify them
 * afterwards. Thread-safe.
 *
 * <pre>{@code
 * PrecomputedModel model = PrecomputedModel.builder(probs).embeddings(features).build();
 * Selection s = Strategies.entropy().select(Pool.withoutInputs(model.size(), model.numClasses()), model, 100);
 * }</pre>
 */
public final class PrecomputedModel implements EmbeddingModel, StochasticModel {

    private final INDArray probabilities; // [N, K]
    private final INDArray embeddings; // [N, d] or null
    private final INDArray samplesByRow; // [N, T * K] or null: MC samples laid out so that a row pull is one op
    private final int passes;

    private PrecomputedModel(Builder b) {
        this.probabilities = b.probabilities;
        this.embeddings = b.embeddings;
        if (b.mcProbabilities == null) {
            this.samplesByRow = null;
            this.passes = 0;
        } else {
            long t = b.mcProbabilities.size(0);
            long n = b.mcProbabilities.size(1);
            long k = b.mcProbabilities.size(2);
            this.samplesByRow = b.mcProbabilities.permute(1, 0, 2).dup('c').reshape('c', n, t * k);
            this.passes = (int) t;
        }
    }

    /** Starts a model over {@code [N, K]} class probabilities. */
    public static Builder builder(INDArray probabilities) {
        return new Builder(probabilities);
    }

    /** A model over {@code [N, K]} class probabilities only. */
    public static PrecomputedModel of(INDArray probabilities) {
        return builder(probabilities).build();
    }

    /** The number of samples {@code N} the arrays cover. */
    public int size() {
        return (int) probabilities.rows();
    }

    @Override
    public int numClasses() {
        return (int) probabilities.columns();
    }

    @Override
    public boolean supports(Class<? extends Model> capability) {
        if (capability == EmbeddingModel.class) {
            return embeddings != null;
        }
        if (capability == StochasticModel.class) {
            return samplesByRow != null;
        }
        return capability.isInstance(this);
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        checkRequest(pool, ids);
        return pull(probabilities, ids);
    }

    @Override
    public int embeddingSize() {
        Checks.checkState(embeddings != null, "this PrecomputedModel has no embeddings");
        return (int) embeddings.columns();
    }

    @Override
    public Predictions predict(Pool pool, int[] ids) {
        Checks.checkState(embeddings != null, "this PrecomputedModel has no embeddings");
        checkRequest(pool, ids);
        return new Predictions(pull(probabilities, ids), pull(embeddings, ids));
    }

    @Override
    public int defaultPasses() {
        Checks.checkState(samplesByRow != null, "this PrecomputedModel has no MC samples");
        return passes;
    }

    /** Returns the first {@code passes} stored passes; the seed is ignored since the samples are fixed. */
    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
        Checks.checkState(samplesByRow != null, "this PrecomputedModel has no MC samples");
        checkRequest(pool, ids);
        Checks.checkArgument(passes >= 1 && passes <= this.passes, "passes must be in [1, %d] (the stored passes), found %d",
                this.passes, passes);
        int k = numClasses();
        INDArray rows = pull(samplesByRow, ids).reshape('c', ids.length, this.passes, k);
        INDArray firstPasses = rows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, passes), NDArrayIndex.all());
        return firstPasses.permute(1, 0, 2).dup('c');
    }

    private void checkRequest(Pool pool, int[] ids) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(ids, "ids");
        Checks.checkArgument(pool.size() == size(), "pool has %d samples but the precomputed outputs cover %d",
                pool.size(), size());
        for (int i = 0; i < ids.length; i++) {
            Checks.checkId(ids[i], size(), "ids[" + i + "]");
        }
    }

    private static INDArray pull(INDArray source, int[] ids) {
        if (ids.length == 0) {
            return Nd4j.create(source.dataType(), 0, source.columns());
        }
        return Nd4j.pullRows(source, 1, ids);
    }

    @Override
    public String toString() {
        return "PrecomputedModel[probabilities=" + Arrays.toString(probabilities.shape())
                + (embeddings == null ? "" : ", embeddings=" + Arrays.toString(embeddings.shape()))
                + (samplesByRow == null ? "" : ", passes=" + passes) + "]";
    }

    /** Builds a {@link PrecomputedModel}; {@link #build()} validates every array. */
    public static final class Builder {
        private final INDArray probabilities;
        private INDArray embeddings;
        private INDArray mcProbabilities;

        private Builder(INDArray probabilities) {
            this.probabilities = Checks.checkNotNull(probabilities, "probabilities");
        }

        /** Penultimate features {@code [N, d]}, row {@code i} for pool id {@code i}. */
        public Builder embeddings(INDArray embeddings) {
            this.embeddings = Checks.checkNotNull(embeddings, "embeddings");
            return this;
        }

        /** MC-dropout probabilities {@code [T, N, K]}. */
        public Builder mcProbabilities(INDArray mcProbabilities) {
            this.mcProbabilities = Checks.checkNotNull(mcProbabilities, "mcProbabilities");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException for a wrong shape, a row count that differs from the probabilities', NaN
         *     or infinity, or probability rows that do not sum to 1
         */
        public PrecomputedModel build() {
            Checks.checkProbabilities(probabilities, -1, -1, "probabilities");
            long n = probabilities.rows();
            Checks.checkArgument(n >= 1 && probabilities.columns() >= 1,
                    "probabilities must have at least one row and one class, found shape %s",
                    Arrays.toString(probabilities.shape()));
            if (embeddings != null) {
                Checks.checkArgument(embeddings.rank() == 2 && embeddings.rows() == n,
                        "embeddings must have shape [%d, d], found %s", n, Arrays.toString(embeddings.shape()));
                Checks.checkFinite(embeddings, "embeddings");
            }
            if (mcProbabilities != null) {
                Checks.checkArgument(mcProbabilities.rank() == 3 && mcProbabilities.size(1) == n
                        && mcProbabilities.size(2) == probabilities.columns() && mcProbabilities.size(0) >= 1,
                        "mcProbabilities must have shape [T, %d, %d], found %s", n, probabilities.columns(),
                        Arrays.toString(mcProbabilities.shape()));
                Checks.checkProbabilities(mcProbabilities.reshape('c', -1, probabilities.columns()), -1, -1,
                        "mcProbabilities");
            }
            return new PrecomputedModel(this);
        }
    }
}
