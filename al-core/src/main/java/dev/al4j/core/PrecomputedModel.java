package dev.al4j.core;

import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model over outputs someone already computed, keyed by pool id: row {@code i} of every array is pool id
 * {@code i}. This is how a PyTorch (or any other) pipeline uses al4j: dump the outputs as {@code .npy}, read them,
 * select.
 *
 * <p>It offers {@link EmbeddingModel} only when embeddings were given and {@link StochasticModel} only when MC
 * samples were given ({@link #supports}). The arrays are validated once when built. The probabilities and the MC
 * samples are copied then into Java arrays that are the model's own (4 bytes per value, 8 for a {@code DOUBLE}
 * array: {@code N·K·(1 + T)} values, e.g. 8.4 MB for N = 10 000, K = 10, T = 20), so that a query gathers its rows
 * with one {@code System.arraycopy} per run of consecutive ids and no ND4J op (an ND4J {@code pullRows} costs
 * tens of milliseconds on a loaded machine); it also hands them over as Java arrays ({@link RowArrays}). The
 * embeddings are not copied (they may be large; a strided view, or a type other than {@code FLOAT} and {@code DOUBLE},
 * is copied once into a dense {@code FLOAT} array); do not modify them afterwards. {@link #embeddingRows} reads their
 * rows straight from the array's native buffer, one bulk copy per run of consecutive ids, with no ND4J op and no
 * copy of the whole array. Thread-safe.
 *
 * <pre>{@code
 * PrecomputedModel model = PrecomputedModel.builder(probs).embeddings(features).build();
 * Selection s = Strategies.entropy().select(Pool.withoutInputs(model.size(), model.numClasses()), model, 100);
 * }</pre>
 */
public final class PrecomputedModel implements EmbeddingModel, StochasticModel, RowArrays {

    private final int size; // N
    private final int classes; // K
    private final long[] probabilitiesShape; // for toString
    private final RowTable probabilities; // N rows of K
    private final INDArray embeddings; // [N, d] or null
    private final INDArray embeddingRowSource; // dense C-order FLOAT or DOUBLE [N, d] with embeddings' values, or null
    private final RowTable samples; // T * N rows of K (row t * N + i is pass t of id i), or null
    private final int passes;

    private PrecomputedModel(Builder b) {
        this.size = (int) b.probabilities.rows();
        this.classes = (int) b.probabilities.columns();
        this.probabilitiesShape = b.probabilities.shape();
        this.probabilities = new RowTable(b.probabilities, classes);
        this.embeddings = b.embeddings;
        this.embeddingRowSource = b.embeddings == null ? null : denseRows(b.embeddings);
        if (b.mcProbabilities == null) {
            this.samples = null;
            this.passes = 0;
        } else {
            this.samples = new RowTable(b.mcProbabilities, classes);
            this.passes = (int) b.mcProbabilities.size(0);
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
        return size;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public boolean supports(Class<? extends Model> capability) {
        if (capability == EmbeddingModel.class) {
            return embeddings != null;
        }
        if (capability == StochasticModel.class) {
            return samples != null;
        }
        return capability.isInstance(this);
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        checkRequest(pool, ids);
        return probabilities.rows(ids, 0, ids.length, classes);
    }

    /** {@inheritDoc} The rows are gathered from the model's own copy; no ND4J op runs. */
    @Override
    public float[] probabilityRows(Pool pool, int[] ids) {
        checkRequest(pool, ids);
        return probabilities.floatRows(ids, 0);
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
        return new Predictions(probabilities.rows(ids, 0, ids.length, classes), pull(embeddings, ids));
    }

    /**
     * {@inheritDoc} The rows are read from the embeddings' native buffer with one bulk copy per run of consecutive ids
     * (all candidates, sorted, are a few long runs); no ND4J op runs.
     */
    @Override
    public boolean embeddingRows(Pool pool, int[] ids, float[] destination) {
        Checks.checkState(embeddings != null, "this PrecomputedModel has no embeddings");
        checkRequest(pool, ids);
        Checks.checkNotNull(destination, "destination");
        INDArray source = embeddingRowSource;
        int d = (int) source.columns();
        Checks.checkArgument(destination.length >= (long) ids.length * d,
                "destination must hold %d rows of %d features, found %d values", ids.length, d, destination.length);
        float[] out = destination;
        // addressPointer() is a fresh pointer at the buffer's first value, so moving its position is local to this call.
        if (source.dataType() == DataType.FLOAT) {
            FloatPointer values = new FloatPointer(source.data().addressPointer());
            for (int i = 0; i < ids.length; ) {
                int run = RowTable.run(ids, i);
                values.position((long) ids[i] * d).get(out, i * d, run * d);
                i += run;
            }
        } else {
            DoublePointer values = new DoublePointer(source.data().addressPointer());
            double[] buffer = new double[d];
            for (int i = 0; i < ids.length; i++) {
                values.position((long) ids[i] * d).get(buffer, 0, d);
                for (int k = 0, at = i * d; k < d; k++, at++) {
                    out[at] = (float) buffer[k]; // rounds to nearest, as castTo(FLOAT) does
                }
            }
        }
        return true;
    }

    /**
     * {@code e} itself when its buffer holds exactly its values in C order as {@code FLOAT} or {@code DOUBLE}, else a
     * dense copy ({@code FLOAT} unless {@code e} is {@code DOUBLE}), with its values on the host.
     */
    private static INDArray denseRows(INDArray e) {
        boolean dense = e.ordering() == 'c' && !e.isView() && e.offset() == 0 && Shape.hasDefaultStridesForShape(e)
                && e.data().length() == e.length()
                && (e.dataType() == DataType.FLOAT || e.dataType() == DataType.DOUBLE);
        INDArray out = dense ? e : e.dataType() == DataType.DOUBLE ? e.dup('c') : e.castTo(DataType.FLOAT).dup('c');
        Nd4j.getAffinityManager().ensureLocation(out, org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
        return out;
    }

    @Override
    public int defaultPasses() {
        Checks.checkState(samples != null, "this PrecomputedModel has no MC samples");
        return passes;
    }

    /** Returns the first {@code passes} stored passes; the seed is ignored since the samples are fixed. */
    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
        checkPasses(pool, ids, passes);
        // The passes are consecutive blocks of N rows, so [passes, ids.length, K] in C order is pass 0's rows of ids,
        // then pass 1's, ...: one gather over the ids shifted by t * N per pass.
        int[] rows = new int[Math.multiplyExact(passes, ids.length)];
        for (int t = 0; t < passes; t++) {
            for (int i = 0; i < ids.length; i++) {
                rows[t * ids.length + i] = ids[i] + t * size;
            }
        }
        return samples.rows(rows, 0, passes, ids.length, classes);
    }

    /** {@inheritDoc} The seed is ignored; the rows are gathered from the model's own copy, no ND4J op runs. */
    @Override
    public float[][] stochasticProbabilityRows(Pool pool, int[] ids, int passes, long seed) {
        checkPasses(pool, ids, passes);
        float[][] out = new float[passes][];
        for (int t = 0; t < passes; t++) {
            out[t] = samples.floatRows(ids, t * size);
        }
        return out;
    }

    /**
     * {@inheritDoc} Lends the model's own row-major copy when it holds floats (any type but {@code DOUBLE}); the rows
     * are {@code checked}: {@link Builder#build} checked them and nothing changes them.
     */
    @Override
    public Optional<SharedRows> sharedProbabilityRows(Pool pool, int[] ids) {
        checkRequest(pool, ids);
        float[] values = probabilities.sharedFloats();
        return values == null ? Optional.empty() : Optional.of(new SharedRows(values, new int[] {0}, true));
    }

    /** {@inheritDoc} The seed is ignored; lends the stored passes as {@link #sharedProbabilityRows} lends rows. */
    @Override
    public Optional<SharedRows> sharedStochasticRows(Pool pool, int[] ids, int passes, long seed) {
        checkPasses(pool, ids, passes);
        float[] values = samples.sharedFloats();
        if (values == null) {
            return Optional.empty();
        }
        int[] offsets = new int[passes];
        for (int t = 0; t < passes; t++) {
            offsets[t] = t * size * classes; // pass t's rows are rows t·N .. t·N + N − 1 of the table
        }
        return Optional.of(new SharedRows(values, offsets, true));
    }

    private void checkPasses(Pool pool, int[] ids, int passes) {
        Checks.checkState(samples != null, "this PrecomputedModel has no MC samples");
        checkRequest(pool, ids);
        Checks.checkArgument(passes >= 1 && passes <= this.passes, "passes must be in [1, %d] (the stored passes), found %d",
                this.passes, passes);
    }

    private void checkRequest(Pool pool, int[] ids) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(ids, "ids");
        Checks.checkArgument(pool.size() == size(), "pool has %d samples but the precomputed outputs cover %d",
                pool.size(), size());
        // One OR over every id (vectorised by the JIT; no branch): negative iff some id is outside [0, size).
        int last = size - 1;
        int any = 0;
        for (int id : ids) {
            any |= id | (last - id);
        }
        if (any < 0) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= size) {
                    Checks.checkId(ids[i], size, "ids[" + i + "]"); // throws; the name is built only then
                }
            }
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
        return "PrecomputedModel[probabilities=" + Arrays.toString(probabilitiesShape)
                + (embeddings == null ? "" : ", embeddings=" + Arrays.toString(embeddings.shape()))
                + (samples == null ? "" : ", passes=" + passes) + "]";
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
