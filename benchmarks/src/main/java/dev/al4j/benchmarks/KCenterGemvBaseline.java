package dev.al4j.benchmarks;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The straightforward ND4J k-center greedy, for comparison only: the distances to the labeled set by blocked gemm,
 * then one gemv per pick with {@code ‖x − c‖² = ‖x‖² + ‖c‖² − 2 x·c}. It is what FACTS.md measured at 2–3 ms per
 * pick; {@code Strategies.kCenterGreedy()} must pick the same ids ({@code VariantsAgreeTest}).
 */
final class KCenterGemvBaseline implements QueryStrategy {

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        EmbeddingModel m = (EmbeddingModel) model;
        int[] candidates = pool.candidates();
        int[] labeled = pool.labeled();
        INDArray x = m.predict(pool, candidates).embeddings().castTo(DataType.FLOAT);
        INDArray xn = x.mul(x).sum(1); // [n]
        int n = candidates.length;
        INDArray minDist = Nd4j.valueArrayOf(new long[] {n}, Float.POSITIVE_INFINITY, DataType.FLOAT);
        for (int from = 0; from < labeled.length; from += 256) {
            int to = Math.min(labeled.length, from + 256);
            int[] block = java.util.Arrays.copyOfRange(labeled, from, to);
            INDArray y = m.predict(pool, block).embeddings().castTo(DataType.FLOAT);
            INDArray yn = y.mul(y).sum(1);
            INDArray d = x.mmul(y.transpose()).muli(-2).addiColumnVector(xn.reshape(n, 1)).addiRowVector(
                    yn.reshape(1, block.length));
            minDist = Transforms.min(minDist, d.min(1), false);
        }
        int b = Math.min(budget, n);
        int[] ids = new int[b];
        int pick = labeled.length == 0 ? 0 : Nd4j.argMax(minDist).getInt(0);
        INDArray dots = Nd4j.create(DataType.FLOAT, n, 1);
        for (int p = 0; p < b; p++) {
            ids[p] = candidates[pick];
            minDist.putScalar(pick, -1f);
            if (p == b - 1) {
                break;
            }
            INDArray c = x.get(NDArrayIndex.point(pick), NDArrayIndex.all()).reshape(x.columns(), 1);
            Nd4j.gemm(x, c, dots, false, false, 1.0, 0.0);
            INDArray d = dots.reshape(n).mul(-2).addi(xn).addi(xn.getDouble(pick));
            Transforms.min(minDist, d, false);
            minDist.putScalar(pick, -1f);
            pick = Nd4j.argMax(minDist).getInt(0);
        }
        return Selection.of(ids, System.nanoTime() - start);
    }

    @Override
    public String toString() {
        return "KCenterGemvBaseline";
    }
}
