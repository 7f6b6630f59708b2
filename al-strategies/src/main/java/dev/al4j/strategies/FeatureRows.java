package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.core.RowArrays;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;

/**
 * The outputs the class-conditional feature strategies (FeatureSim, DFM) read, as Java arrays: the labeled samples'
 * labels and embeddings at once, then the candidates' predicted classes and embeddings in chunks of {@link #CHUNK}
 * ids, so that a query holds {@code O(L·d + CHUNK·d + N)} values on the heap however large {@code N} is, instead of a
 * copy of all {@code N·d} candidate features.
 *
 * <p>Each sample is read once for everything the query needs (DESIGN.md rule 1): a model that hands its rows over as
 * Java arrays ({@link RowArrays#embeddingRows}, e.g. {@code PrecomputedModel}) gives them with no ND4J op; any other
 * {@link EmbeddingModel} runs {@link EmbeddingModel#predict} once per chunk. Read and validated by
 * {@link QueryOutputs#predicted}: probability rows in {@code [0, 1]} summing to 1 (the canonical
 * {@link Checks#checkProbabilities} message), embeddings finite and {@code d = model.embeddingSize()} wide.
 */
final class FeatureRows {

    /** Candidate ids per chunk: 16 MB of float features at {@code d = 512}. */
    static final int CHUNK = 8192;

    /** The feature dimension {@code d}. */
    final int dimension;
    /** The labeled pool ids, ascending. */
    final int[] labeledIds;
    /** The label of each labeled row. */
    final int[] labels;
    /** Row-major {@code [L, d]} features of the labeled samples. */
    final float[] labeled;

    private FeatureRows(int dimension, int[] labeledIds, int[] labels, float[] labeled) {
        this.dimension = dimension;
        this.labeledIds = labeledIds;
        this.labels = labels;
        this.labeled = labeled;
    }

    /** Reads and validates the labeled samples' outputs. */
    static FeatureRows labeled(Pool pool, EmbeddingModel model) {
        int d = model.embeddingSize();
        Checks.checkArgument(d >= 1, "the model's embeddingSize must be >= 1, found %d", d);
        int[] labeledIds = pool.labeled();
        int[] labels = pool.labelsOf(labeledIds);
        float[] buffer = model instanceof RowArrays ? new float[Math.multiplyExact(labeledIds.length, d)] : null;
        float[] rows = labeledIds.length == 0 ? new float[0] : QueryOutputs.predicted(pool, model, labeledIds, d, buffer).embeddings();
        return new FeatureRows(d, labeledIds, labels, rows);
    }

    /** Receives one chunk of candidates. */
    @FunctionalInterface
    interface ChunkTask {
        /**
         * @param from the position in the id list of the chunk's first id
         * @param count the number of ids in the chunk
         * @param predicted the predicted class (argmax, ties toward the lower class) of each id of the chunk
         * @param rows row-major {@code [count, d]} features (a longer array whose first {@code count·d} values are
         *     the chunk's, valid during the call only)
         */
        void accept(int from, int count, int[] predicted, float[] rows);
    }

    /**
     * Reads {@code ids} in chunks of {@link #CHUNK}, in order, and hands each chunk to {@code task}. The features of
     * a {@link RowArrays} model go into one buffer reused for every chunk ({@code rows} is only valid during the call),
     * so the query allocates no copy of the candidates' features.
     */
    void forEachChunk(Pool pool, EmbeddingModel model, int[] ids, ChunkTask task) {
        int k = pool.numClasses();
        forEachOutputChunk(pool, model, ids, dimension,
                (from, count, probabilities, rows) -> task.accept(from, count, argMaxRows(probabilities, k), rows));
    }

    /** Receives one chunk of candidates' probabilities and features. */
    @FunctionalInterface
    interface OutputChunkTask {
        /**
         * @param from the position in the id list of the chunk's first id
         * @param count the number of ids in the chunk
         * @param probabilities row-major {@code [count, K]} validated probabilities
         * @param rows row-major {@code [count, d]} features (a longer array whose first {@code count·d} values are
         *     the chunk's, valid during the call only)
         */
        void accept(int from, int count, float[] probabilities, float[] rows);
    }

    /**
     * Reads the probabilities and {@code d}-wide features of {@code ids} in chunks of {@link #CHUNK}, in order, one
     * model call per chunk, validated, and hands each chunk to {@code task} (as {@link #forEachChunk}, with the
     * probabilities instead of the predicted classes).
     */
    static void forEachOutputChunk(Pool pool, EmbeddingModel model, int[] ids, int d, OutputChunkTask task) {
        Checks.checkArgument(d >= 1, "the model's embeddingSize must be >= 1, found %d", d);
        float[] buffer = null;
        for (int from = 0; from < ids.length; from += CHUNK) {
            int count = Math.min(CHUNK, ids.length - from);
            if (buffer == null && model instanceof RowArrays) {
                buffer = new float[Math.multiplyExact(Math.min(CHUNK, ids.length), d)];
            }
            QueryOutputs.Rows o = QueryOutputs.predicted(pool, model, Arrays.copyOfRange(ids, from, from + count), d,
                    buffer);
            task.accept(from, count, o.probabilities(), o.embeddings());
        }
    }

    /** Row-wise argmax of row-major {@code [n, k]} values, ties toward the lower column. */
    static int[] argMaxRows(float[] p, int k) {
        int n = p.length / k;
        int[] out = new int[n];
        for (int i = 0, at = 0; i < n; i++, at += k) {
            int best = 0;
            float bestValue = p[at];
            for (int c = 1; c < k; c++) {
                if (p[at + c] > bestValue) {
                    bestValue = p[at + c];
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
