package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The model outputs a feature-space strategy needs: probabilities and embeddings of the labeled samples and of the
 * ids to score, from one {@link EmbeddingModel#predict} call over both (DESIGN.md rule 1: one forward pass per
 * sample), validated once.
 *
 * <p>Row {@code i} of the labeled arrays is {@code labeledIds[i]} (ascending pool ids), row {@code i} of the
 * candidate arrays is {@code ids[i]} in the order given. An id that is both labeled and asked for is predicted once
 * per list: the two lists are disjoint in every strategy's use, since queries score candidates.
 */
final class LabeledAndCandidates {

    final int[] labeledIds;
    final int[] labels;
    final INDArray labeledProbabilities; // [L, K]
    final INDArray labeledEmbeddings; // [L, d]
    final int[] ids;
    final INDArray probabilities; // [n, K]
    final INDArray embeddings; // [n, d]

    private LabeledAndCandidates(int[] labeledIds, int[] labels, INDArray labeledProbabilities,
            INDArray labeledEmbeddings, int[] ids, INDArray probabilities, INDArray embeddings) {
        this.labeledIds = labeledIds;
        this.labels = labels;
        this.labeledProbabilities = labeledProbabilities;
        this.labeledEmbeddings = labeledEmbeddings;
        this.ids = ids;
        this.probabilities = probabilities;
        this.embeddings = embeddings;
    }

    /**
     * Predicts the labeled samples of {@code pool} and {@code ids} in one call and checks the outputs: a
     * {@code [L + n, K]} probability matrix with {@code K = pool.numClasses()}, finite {@code [L + n, d]}
     * embeddings.
     */
    static LabeledAndCandidates predict(Pool pool, EmbeddingModel model, int[] ids) {
        int[] labeledIds = pool.labeled();
        int[] labels = pool.labelsOf(labeledIds);
        int l = labeledIds.length;
        int[] all = new int[l + ids.length];
        System.arraycopy(labeledIds, 0, all, 0, l);
        System.arraycopy(ids, 0, all, l, ids.length);
        Predictions p = model.predict(pool, all);
        Checks.checkProbabilities(p.probabilities(), all.length, pool.numClasses(), "model probabilities");
        INDArray emb = p.embeddings();
        Checks.checkArgument(emb.rows() == all.length && emb.columns() >= 1,
                "model embeddings must have shape [%d, d >= 1], found %s", all.length, Arrays.toString(emb.shape()));
        Checks.checkFinite(emb, "model embeddings");
        return new LabeledAndCandidates(labeledIds, labels, rows(p.probabilities(), 0, l), rows(emb, 0, l), ids,
                rows(p.probabilities(), l, all.length), rows(emb, l, all.length));
    }

    /** The number of labeled samples {@code L}. */
    int labeledCount() {
        return labeledIds.length;
    }

    /** The feature dimension {@code d}. */
    int dimension() {
        return (int) embeddings.columns();
    }

    /** The predicted class (argmax, ties toward the lower class) of every candidate. */
    int[] predictedClasses() {
        return argMaxRows(probabilities);
    }

    /** Row-wise argmax of a {@code [n, K]} matrix, ties toward the lower column, from one bulk pull. */
    static int[] argMaxRows(INDArray matrix) {
        int n = (int) matrix.rows();
        int k = (int) matrix.columns();
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        double[] flat = matrix.dup('c').data().asDouble();
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestValue = flat[i * k];
            for (int c = 1; c < k; c++) {
                if (flat[i * k + c] > bestValue) {
                    bestValue = flat[i * k + c];
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Rows {@code [from, to)} of a matrix, as a contiguous copy (an empty {@code [0, cols]} array when empty). */
    static INDArray rows(INDArray matrix, int from, int to) {
        if (from == to) {
            return org.nd4j.linalg.factory.Nd4j.create(matrix.dataType(), 0, matrix.columns());
        }
        return matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    /** Positions {@code i} with {@code classes[i] == c}, grouped: {@code result[c]} ascending. */
    static int[][] groupByClass(int[] classes, int k) {
        int[] counts = new int[k];
        for (int c : classes) {
            counts[c]++;
        }
        int[][] out = new int[k][];
        for (int c = 0; c < k; c++) {
            out[c] = new int[counts[c]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < classes.length; i++) {
            out[classes[i]][fill[classes[i]]++] = i;
        }
        return out;
    }
}
