package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Variance-weighted confidence calibration (VWCC), the training option of Ask-n-Learn (Venkatesh and Thiagarajan
 * 2020, eq. 2) after Seo, Seo and Han (2019): every training step runs {@code T} stochastic (MC-dropout) inferences
 * of the current network on the batch, measures each sample's predictive variance as
 * <pre>
 *   α_i = 1 − (1/T) Σ_t BC(p̄_i, p_i^t),   BC(p, q) = Σ_k √(p_k q_k)   (Bhattacharyya coefficient)
 * </pre>
 * with {@code p̄_i} the mean of the {@code T} predictions, and trains with the {@link ConfidenceCalibrationLoss}
 * {@code (1 − α_i)·CE + α_i·KL(U ‖ p_i)}: samples the network is unsure about are pushed towards the uniform
 * prediction, which calibrates its confidence.
 *
 * <p>al4j's stochastic inferences are its MC-dropout passes: dropout on the embedding, the body in inference mode
 * (BatchNorm on running statistics). {@code α} is a constant within a step (no gradient flows through it). Extra cost
 * per step: one inference forward pass of the batch and {@code T} passes of the classifier. Needs an architecture
 * with dropout. Immutable and thread-safe.
 *
 * <p>Ask-n-Learn's other option, loss-weighted calibration (LWCC, its eq. 3), is not implemented.
 *
 * <pre>{@code
 * Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3))
 *         .withCalibration(ConfidenceCalibration.varianceWeighted(5));
 * }</pre>
 */
public final class ConfidenceCalibration {

    private final int passes;

    private ConfidenceCalibration(int passes) {
        this.passes = passes;
    }

    /** VWCC with {@code T} stochastic inferences per training step (Seo et al. use 5). */
    public static ConfidenceCalibration varianceWeighted(int passes) {
        Checks.checkArgument(passes >= 2, "passes must be >= 2 to measure a variance, found %d", passes);
        return new ConfidenceCalibration(passes);
    }

    public int passes() {
        return passes;
    }

    /**
     * The weights {@code α_i} of {@code [T, n, K]} stochastic predictions: {@code 1 −} the mean Bhattacharyya
     * coefficient between each prediction and the mean prediction, a value in {@code [0, 1]}; 0 when all passes
     * agree.
     *
     * @return {@code [n]}
     */
    static INDArray varianceWeights(INDArray mc) {
        Checks.checkArgument(mc.rank() == 3, "stochastic predictions must be [T, n, K], found rank %d", mc.rank());
        INDArray mean = mc.mean(0).reshape(1, mc.size(1), mc.size(2)).broadcast(mc.shape()); // p̄, [T, n, K]
        INDArray bc = Transforms.sqrt(mc.mul(mean), false).sum(2); // [T, n]
        INDArray alpha = bc.mean(0).rsubi(1.0);
        return Transforms.max(alpha, 0.0, false); // rounding can give −1e-8
    }

    /** The per-step targets {@code q = (1 − α)·onehot + α/K} for {@link EpochLoop}, seeded by the fit's seed. */
    EpochLoop.Targets targets(String embeddingVertex, double dropout, long seed) {
        Checks.checkArgument(dropout > 0, "%s needs an architecture with dropout > 0 for its stochastic inferences",
                this);
        return (net, inputs, oneHot, iteration) -> {
            long b = oneHot.size(0);
            long k = oneHot.size(1);
            INDArray mc = stochasticPredictions(net, inputs, embeddingVertex, dropout, Seeds.mix(seed, iteration));
            INDArray alpha = varianceWeights(mc).reshape(b, 1).castTo(oneHot.dataType());
            return new INDArray[] {oneHot.mulColumnVector(alpha.rsub(1.0)).addiColumnVector(alpha.div(k))};
        };
    }

    private INDArray stochasticPredictions(ComputationGraph net, INDArray inputs, String embeddingVertex,
            double dropout, long seed) {
        INDArray z = net.output(List.of(embeddingVertex), false, new INDArray[] {inputs}, null)[0];
        int b = (int) z.size(0);
        int d = (int) z.size(1);
        INDArray masked = Nd4j.concat(0, copies(z, passes))
                .muli(DropoutMasks.inverted(dropout, passes * b, d, row -> Seeds.mix(seed, row)));
        Layer head = net.getLayer(Architecture.OUTPUT);
        INDArray out = head.activate(masked, false, LayerWorkspaceMgr.noWorkspaces());
        return out.reshape('c', passes, b, out.size(1));
    }

    private static INDArray[] copies(INDArray a, int times) {
        INDArray[] c = new INDArray[times];
        java.util.Arrays.fill(c, a);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfidenceCalibration c && c.passes == passes;
    }

    @Override
    public int hashCode() {
        return passes;
    }

    @Override
    public String toString() {
        return "ConfidenceCalibration.varianceWeighted(" + passes + ")";
    }
}
