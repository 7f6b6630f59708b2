package dev.al4j.strategies.diversity;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The outputs a diversity strategy reads from an {@link EmbeddingModel} for a list of pool ids: embeddings as
 * {@link EmbeddingTiles} and, when asked for, probabilities as a row-major {@code float[n·K]}. Read in chunks of
 * {@link #CHUNK} ids (one {@code predict} call each, so the model runs once per sample), validated as they come:
 * shapes, finite embeddings, probability rows in [0, 1] summing to 1.
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
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            int[] chunk = Arrays.copyOfRange(ids, from, from + count);
            Predictions p = model.predict(pool, chunk);
            INDArray q = p.probabilities();
            Checks.checkArgument(q.rows() == count && q.columns() == k,
                    "probabilities must have shape [%d, %d] (ids, classes), found %s", count, k,
                    Arrays.toString(q.shape()));
            float[] probsChunk = toFloats(q);
            checkProbabilities(probsChunk, k, chunk);
            INDArray e = p.embeddings();
            Checks.checkArgument(e.rows() == count && e.columns() == d,
                    "embeddings must have shape [%d, %d] (ids, embeddingSize), found %s", count, d,
                    Arrays.toString(e.shape()));
            float[] rows = toFloats(e);
            for (int i = 0; i < rows.length; i++) {
                if (!Float.isFinite(rows[i])) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "embeddings must be finite, found %s for id %d", rows[i], chunk[i / d]));
                }
            }
            tiles.setRows(from, rows, 0, count);
            if (probs != null) {
                System.arraycopy(probsChunk, 0, probs, from * k, count * k);
            }
        }
        return new ModelOutputs(ids, tiles, probs, k);
    }

    /**
     * The checks of {@link Checks#checkProbabilities} (finite, in [0, 1], rows summing to 1 within
     * {@link Checks#ROW_SUM_TOLERANCE}) on a row-major float copy: plain loops, far cheaper than ND4J's boolean
     * indexing on every chunk.
     */
    static void checkProbabilities(float[] p, int k, int[] ids) {
        int n = p.length / k;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                float v = p[i * k + c];
                if (!(v >= 0 && v <= 1 + Checks.ROW_SUM_TOLERANCE)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "probabilities must be finite and in [0, 1], found %s for id %d, class %d", v, ids[i], c));
                }
                sum += v;
            }
            if (!(Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "probabilities rows must sum to 1 (tolerance %s), the row of id %d sums to %s",
                        Checks.ROW_SUM_TOLERANCE, ids[i], sum));
            }
        }
    }

    /** The row-major float contents of a matrix. */
    static float[] toFloats(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        boolean dense = f.ordering() == 'c' && f.offset() == 0 && f.data().length() == f.length()
                && Shape.hasDefaultStridesForShape(f);
        // A fresh row-major array (what pullRows and mmul give) is read directly; anything else is copied first.
        return (dense ? f : f.dup('c')).data().asFloat();
    }
}
