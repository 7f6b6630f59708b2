package dev.al4j.core;

import java.util.Optional;

/**
 * A model that hands its class probabilities (and, optionally, its embeddings) over as row-major Java arrays, with no
 * {@code INDArray} in between:
 * an optional fast path for readers that copy the outputs into Java arrays anyway (the strategies' scoring loops
 * read {@code model instanceof RowArrays} and fall back to {@link Model#probabilities} otherwise). Implemented by
 * {@link PrecomputedModel}.
 *
 * <p>Contract: the values are exactly those of {@link Model#probabilities} and
 * {@link StochasticModel#stochasticProbabilities} for the same arguments, converted to {@code float} as
 * {@code INDArray.castTo(DataType.FLOAT)} converts them (round to nearest; a float array is returned as is), so a
 * reader computes the same bits on either path; {@link #embeddingRows} likewise copies the values of
 * {@link EmbeddingModel#predict}'s embeddings. The arrays returned are fresh; the caller owns them, except those of
 * {@link #sharedProbabilityRows} and {@link #sharedStochasticRows}, which are the model's own, lent read-only so that
 * a reader of many rows copies nothing. Arguments are validated as the {@code INDArray} methods validate them, with
 * the same exceptions.
 *
 * <pre>{@code
 * float[] p = model instanceof RowArrays rows ? rows.probabilityRows(pool, ids)
 *         : model.probabilities(pool, ids).castTo(DataType.FLOAT).dup('c').data().asFloat();
 * }</pre>
 */
public interface RowArrays {

    /**
     * The class probabilities of {@code ids}, row-major: {@code p[i * K + c]} is class {@code c} of {@code ids[i]}.
     *
     * @return a fresh {@code float[ids.length * K]}
     */
    float[] probabilityRows(Pool pool, int[] ids);

    /**
     * The first {@code passes} stochastic passes over {@code ids}, one row-major {@code float[ids.length * K]} per
     * pass: {@code s[t][i * K + c]} is class {@code c} of {@code ids[i]} in pass {@code t}, the values of
     * {@link StochasticModel#stochasticProbabilities}{@code (pool, ids, passes, seed)}.
     *
     * @throws IllegalStateException when the model has no stochastic passes
     */
    float[][] stochasticProbabilityRows(Pool pool, int[] ids, int passes, long seed);

    /**
     * Copies the embeddings of {@code ids} into {@code destination[0 .. ids.length·d)}, row-major:
     * {@code destination[i * d + k]} is feature {@code k} of {@code ids[i]}, the values of
     * {@link EmbeddingModel#predict}{@code (pool, ids).embeddings()} converted to {@code float} as
     * {@code castTo(DataType.FLOAT)} converts them. A reader that goes through the candidates in chunks reuses one
     * buffer, so reading them allocates nothing. Returns {@code false}, and copies nothing, when this model hands its
     * embeddings over only as an {@code INDArray} (the default), so a reader falls back to {@code predict}.
     *
     * @throws IllegalStateException when the model offers rows but has no embeddings
     * @throws IllegalArgumentException when {@code destination} holds fewer than {@code ids.length·d} values
     */
    default boolean embeddingRows(Pool pool, int[] ids, float[] destination) {
        return false;
    }

    /**
     * A model's rows lent read-only, by pool id: the row of pool id {@code j} in pass {@code t} (pass 0 for
     * {@link #sharedProbabilityRows}) is {@code values[offsets[t] + j·K, offsets[t] + (j + 1)·K)}. {@code values} is
     * the model's own array: the reader must not write it (nothing enforces this; it is the price of reading 10⁶ rows
     * without copying them). {@code checked} says that the model has checked every row it lends as
     * {@link Checks#checkProbabilities} checks them and that they cannot change (a {@link PrecomputedModel} checks
     * its arrays when built and keeps its own copy), so that a reader may skip its own checks of these values.
     *
     * @param values the model's values, shared, read-only
     * @param offsets where the row of pool id 0 starts in {@code values}, per pass
     * @param checked whether every lent row is known to be a probability row (see above)
     */
    record SharedRows(float[] values, int[] offsets, boolean checked) {

        /** Checks that the arrays are not null; they are not copied (that is the point). */
        public SharedRows {
            Checks.checkNotNull(values, "values");
            Checks.checkNotNull(offsets, "offsets");
        }
    }

    /**
     * The rows of {@link #probabilityRows}{@code (pool, ids)} without a copy, when this model can lend them (its own
     * {@code float} rows): the whole table, read by id ({@link SharedRows}); empty otherwise (the default), and the
     * reader falls back to {@link #probabilityRows}. {@code ids} are checked as {@link #probabilityRows} checks them.
     */
    default Optional<SharedRows> sharedProbabilityRows(Pool pool, int[] ids) {
        return Optional.empty();
    }

    /**
     * The rows of {@link #stochasticProbabilityRows}{@code (pool, ids, passes, seed)} without a copy, one offset per
     * pass, when this model can lend them (as {@link #sharedProbabilityRows}); empty otherwise (the default).
     *
     * @throws IllegalStateException when the model has no stochastic passes
     */
    default Optional<SharedRows> sharedStochasticRows(Pool pool, int[] ids, int passes, long seed) {
        return Optional.empty();
    }
}
