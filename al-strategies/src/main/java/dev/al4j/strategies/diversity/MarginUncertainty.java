package dev.al4j.strategies.diversity;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;

/**
 * The margin uncertainty {@code 1 − (p₍₁₎ − p₍₂₎)} (one minus the gap between the two largest class probabilities;
 * Scheffer et al. 2001), higher = more uncertain; {@code 0} for a one-class model. The default informativeness of
 * {@link DiverseMiniBatch} and the ranking of {@link ClusterMargin}.
 */
enum MarginUncertainty implements AcquisitionFunction {
    INSTANCE;

    @Override
    public double[] score(Pool pool, Model model, int[] ids) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNotNull(ids, "ids");
        Queries.checkClasses(pool, model);
        int k = pool.numClasses();
        if (ids.length == 0) {
            return new double[0];
        }
        org.nd4j.linalg.api.ndarray.INDArray q = model.probabilities(pool, ids);
        Checks.checkArgument(q.rank() == 2 && q.rows() == ids.length && q.columns() == k,
                "probabilities must have shape [%d, %d] (ids, classes), found %s", ids.length, k,
                java.util.Arrays.toString(q.shape()));
        float[] p = ModelOutputs.toFloats(q);
        ModelOutputs.checkProbabilities(p, k, ids);
        return scores(p, k);
    }

    /** {@code 1 − (p₍₁₎ − p₍₂₎)} of each row of the row-major {@code [n, K]} probabilities. */
    static double[] scores(float[] p, int k) {
        int n = p.length / k;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            float first = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                float v = p[i * k + c];
                if (v > first) {
                    second = first;
                    first = v;
                } else if (v > second) {
                    second = v;
                }
            }
            out[i] = k == 1 ? 0.0 : 1.0 - ((double) first - second);
        }
        return out;
    }

    @Override
    public String toString() {
        return "marginUncertainty";
    }
}
