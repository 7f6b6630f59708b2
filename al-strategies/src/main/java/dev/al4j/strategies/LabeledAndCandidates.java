package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model outputs a feature-space strategy needs: probabilities and embeddings of the labeled samples and of the
 * ids to score, one {@link EmbeddingModel#predict} call for each (DESIGN.md rule 1: one forward pass per sample),
 * validated once.
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
     * Predicts the labeled samples of {@code pool} and then {@code ids}, and checks both outputs: probability
     * matrices with {@code K = pool.numClasses()} columns, finite embeddings of one common width {@code d}.
     *
     * @throws IllegalArgumentException naming the problem for a wrong shape, NaN, infinity or rows that are not
     *     distributions
     */
    static LabeledAndCandidates predict(Pool pool, EmbeddingModel model, int[] ids) {
        int[] labeledIds = pool.labeled();
        int[] labels = pool.labelsOf(labeledIds);
        // Two calls over disjoint ids rather than one over their concatenation: no sample runs twice, and the
        // outputs need no splitting copy.
        Predictions labeled = labeledIds.length == 0 ? null : model.predict(pool, labeledIds);
        Predictions candidates = model.predict(pool, ids);
        int k = pool.numClasses();
        long d = checkEmbeddings(candidates, ids.length, -1);
        Checks.checkProbabilities(candidates.probabilities(), ids.length, k, "model probabilities");
        if (labeled == null) {
            INDArray noProbabilities = Nd4j.create(candidates.probabilities().dataType(), 0, k);
            INDArray noEmbeddings = Nd4j.create(candidates.embeddings().dataType(), 0, d);
            return new LabeledAndCandidates(labeledIds, labels, noProbabilities, noEmbeddings, ids,
                    candidates.probabilities(), candidates.embeddings());
        }
        checkEmbeddings(labeled, labeledIds.length, d);
        Checks.checkProbabilities(labeled.probabilities(), labeledIds.length, k, "model probabilities");
        return new LabeledAndCandidates(labeledIds, labels, labeled.probabilities(), labeled.embeddings(), ids,
                candidates.probabilities(), candidates.embeddings());
    }

    /** Checks {@code [rows, d]} finite embeddings ({@code d} free when negative); returns {@code d}. */
    private static long checkEmbeddings(Predictions p, int rows, long d) {
        INDArray emb = p.embeddings();
        Checks.checkArgument(emb.rows() == rows && emb.columns() >= 1 && (d < 0 || emb.columns() == d),
                "model embeddings must have shape [%d, %s], found %s", rows, d < 0 ? "d >= 1" : String.valueOf(d),
                Arrays.toString(emb.shape()));
        // One reduction finds any NaN or infinity (both make the sum non-finite); only then, or on a harmless
        // overflow of the sum, the element-wise check runs to name the problem.
        if (!Double.isFinite(emb.sumNumber().doubleValue())) {
            Checks.checkFinite(emb, "model embeddings");
        }
        return emb.columns();
    }

    /** The number of labeled samples {@code L}. */
    int labeledCount() {
        return labeledIds.length;
    }

    /** The feature dimension {@code d}. */
    int dimension() {
        return embeddings.columns();
    }

    /** The predicted class (argmax, ties toward the lower class) of every candidate. */
    int[] predictedClasses() {
        return argMaxRows(probabilities);
    }

    /** Row-wise argmax of a {@code [n, K]} matrix, ties toward the lower column, from one bulk pull. */
    static int[] argMaxRows(INDArray matrix) {
        int n = matrix.rows();
        int k = matrix.columns();
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
