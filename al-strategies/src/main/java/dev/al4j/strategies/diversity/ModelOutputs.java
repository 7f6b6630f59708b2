package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;

/**
 * The outputs a diversity strategy reads from an {@link EmbeddingModel} for a list of pool ids: embeddings as
 * {@link EmbeddingTiles} and, when asked for, probabilities as a row-major {@code float[n·K]}. Read in chunks of
 * {@link #CHUNK} ids (one {@code predict} call each, so the model runs once per sample) and validated as they come by
 * the strategies' one read-and-check layer, {@link QueryOutputs#predicted}: shapes, probability rows in [0, 1]
 * summing to 1, finite embeddings, each message naming the id.
 */
final class ModelOutputs {

    /** Ids per {@code predict} call. */
    static final int CHUNK = 4096;

    final int[] ids;
    final EmbeddingTiles embeddings;
    /** Row-major {@code [n, K]}, or {@code null} when not read. */
    final float[] probabilities;
    final int numClasses;

    private ModelOutputs(int[] ids, EmbeddingTiles embeddings, float[] probabilities, int numClasses) {
        this.ids = ids;
        this.embeddings = embeddings;
        this.probabilities = probabilities;
        this.numClasses = numClasses;
    }

    /**
     * Reads the outputs of {@code ids}.
     *
     * @param keepProbabilities whether to keep the probabilities (they are validated either way)
     */
    static ModelOutputs read(EmbeddingModel model, Pool pool, int[] ids, boolean keepProbabilities) {
        int n = ids.length;
        int k = pool.numClasses();
        int d = model.embeddingSize();
        Checks.checkArgument(d >= 1, "the model's embeddingSize must be >= 1, found %d", d);
        EmbeddingTiles tiles = EmbeddingTiles.allocate(n, d);
        float[] probs = keepProbabilities ? new float[Math.multiplyExact(n, k)] : null;
        // One chunk buffer for every chunk: a model that copies its rows into a caller's array (RowArrays) then costs
        // the tiles plus one chunk of heap, not a second copy of every embedding (issue 16's heap goal).
        float[] buffer = new float[Math.multiplyExact(Math.min(CHUNK, n), d)];
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            QueryOutputs.Rows rows = QueryOutputs.predicted(pool, model, Arrays.copyOfRange(ids, from, from + count),
                    d, buffer);
            tiles.setRows(from, rows.embeddings(), 0, count);
            if (probs != null) {
                System.arraycopy(rows.probabilities(), 0, probs, from * k, count * k);
            }
        }
        return new ModelOutputs(ids, tiles, probs, k);
    }
}
