package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * WAAL's critic (Shui et al. 2020, as the authors' code builds it): a one-hidden-layer network on the embedding,
 * {@code d(z) = σ(w₂ᵀ relu(W₁ᵀ z + b₁) + b₂)} with {@code W₁ ∈ ℝ^{D×m}}, {@code m = 50}, written out in ND4J because
 * its gradient penalty needs the derivative of an input gradient with respect to the weights (double backpropagation,
 * which DL4J lacks). With {@code s = w₂ᵀh + b₂}, {@code h = relu(a)}, {@code a = W₁ᵀz + b₁}, {@code μ = 1[a > 0]},
 * {@code v = w₂ ⊙ μ}, {@code u = W₁ v}, {@code σ' = d(1 − d)} and {@code σ'' = σ'(1 − 2d)}:
 * <pre>
 *   ∇_z d = σ' u,   n = ‖∇_z d‖ = σ' ‖u‖,   û = u / ‖u‖
 *   ∂n/∂θ = σ''‖u‖ ∂s/∂θ + σ' ∂‖u‖/∂θ:
 *   ∂n/∂W₁ = (σ''‖u‖ z + σ' û) vᵀ,  ∂n/∂b₁ = σ''‖u‖ v,  ∂n/∂w₂ = σ''‖u‖ h + σ' μ ⊙ (W₁ᵀ û),  ∂n/∂b₂ = σ''‖u‖
 * </pre>
 * (ReLU's derivative is piecewise constant, so {@code μ} does not vary). {@code WassersteinCriticTest} checks every
 * gradient against finite differences in double precision.
 *
 * <p>The parameters are one flat vector {@code [W₁ (D·m, row-major), b₁ (m), w₂ (m), b₂]}; gradients use the same
 * layout. Mutable while {@link WaalLearner} trains it ({@link #step}); a trained model keeps a copy it never changes.
 * Not thread-safe while training. The authors' critic also has dropout on its hidden layer; this one has none.
 */
final class WassersteinCritic {

    /** The hidden width of the authors' critics (e.g. their Fashion-MNIST one: 320 → 50 → 1, sigmoid). */
    static final int WIDTH = 50;

    private final int inputSize;
    private final int width;
    private final INDArray params; // flat [D·m + 2m + 1]

    private WassersteinCritic(int inputSize, int width, INDArray params) {
        this.inputSize = inputSize;
        this.width = width;
        this.params = params;
    }

    /**
     * A critic on {@code inputSize}-dimensional features with {@code width} hidden units, initialised like PyTorch's
     * {@code nn.Linear}: every weight and bias uniform in {@code ±1/√fanIn}, from {@code seed}.
     */
    static WassersteinCritic initial(int inputSize, int width, long seed, DataType type) {
        Checks.checkPositive(inputSize, "inputSize");
        Checks.checkPositive(width, "width");
        SplittableRandom random = new SplittableRandom(seed);
        double[] p = new double[inputSize * width + 2 * width + 1];
        double first = 1 / Math.sqrt(inputSize);
        double second = 1 / Math.sqrt(width);
        int split = inputSize * width + width; // W₁ and b₁ have fan-in D; w₂ and b₂ have fan-in m
        for (int i = 0; i < p.length; i++) {
            double bound = i < split ? first : second;
            p[i] = (2 * random.nextDouble() - 1) * bound;
        }
        return new WassersteinCritic(inputSize, width, Nd4j.createFromArray(p).castTo(type));
    }

    /** A critic with the given flat parameters (copied). */
    static WassersteinCritic of(int inputSize, int width, INDArray flat) {
        Checks.checkArgument(flat.length() == (long) inputSize * width + 2L * width + 1,
                "a critic of %d inputs and width %d has %d parameters, found %d", inputSize, width,
                inputSize * width + 2 * width + 1, flat.length());
        return new WassersteinCritic(inputSize, width, flat.dup().reshape(flat.length()));
    }

    int inputSize() {
        return inputSize;
    }

    int width() {
        return width;
    }

    /** A copy of the flat parameters. */
    INDArray parameters() {
        return params.dup();
    }

    /** An independent copy. */
    WassersteinCritic copy() {
        return new WassersteinCritic(inputSize, width, params.dup());
    }

    private INDArray w1() {
        return params.get(NDArrayIndex.interval(0, (long) inputSize * width)).reshape('c', inputSize, width);
    }

    private INDArray b1() {
        long from = (long) inputSize * width;
        return params.get(NDArrayIndex.interval(from, from + width)).reshape(1, width);
    }

    private INDArray w2() {
        long from = (long) inputSize * width + width;
        return params.get(NDArrayIndex.interval(from, from + width)).reshape(width, 1);
    }

    private double b2() {
        return params.getDouble(params.length() - 1);
    }

    /** One forward pass over {@code z [n, D]}: the pieces every gradient reuses. */
    private record Pass(INDArray z, INDArray mask, INDArray hidden, INDArray d) {}

    private Pass pass(INDArray z) {
        Checks.checkArgument(z.rank() == 2 && z.size(1) == inputSize, "critic inputs must be [n, %d], found %s",
                inputSize, java.util.Arrays.toString(z.shape()));
        INDArray x = z.castTo(params.dataType());
        INDArray a = x.mmul(w1()).addiRowVector(b1());
        INDArray mask = a.gt(0).castTo(params.dataType());
        INDArray hidden = a.mul(mask);
        INDArray d = Transforms.sigmoid(hidden.mmul(w2()).addi(b2()), false).reshape(z.size(0));
        return new Pass(x, mask, hidden, d);
    }

    /** The critic's scores {@code d(z) ∈ (0, 1)}, {@code [n]}, of features {@code z [n, D]}. */
    INDArray scores(INDArray z) {
        return pass(z).d();
    }

    /** {@code σ'(s) = d(1 − d)} as a column {@code [n, 1]}. */
    private static INDArray sigmoidSlope(INDArray d) {
        return d.mul(d.rsub(1.0)).reshape(d.length(), 1);
    }

    /** {@code v = w₂ ⊙ μ}, one row per sample {@code [n, m]}. */
    private INDArray v(Pass p) {
        return p.mask().mulRowVector(w2().reshape(1, width));
    }

    /** The gradients {@code ∇_z d(z)} of the score with respect to the features, {@code [n, D]}. */
    INDArray inputGradients(INDArray z) {
        return scoresAndInputGradients(z).inputGradients();
    }

    /** {@link #scores} and {@link #inputGradients} from one pass. */
    ScoresAndGradients scoresAndInputGradients(INDArray z) {
        Pass p = pass(z);
        return new ScoresAndGradients(p.d(), v(p).mmul(w1().transpose()).muliColumnVector(sigmoidSlope(p.d())));
    }

    /** Scores {@code [n]} and input gradients {@code [n, D]} of the same features. */
    record ScoresAndGradients(INDArray scores, INDArray inputGradients) {}

    /**
     * The gradient with respect to the parameters (flat) of {@code Σᵢ cᵢ d(zᵢ)}, e.g. WAAL's Wasserstein estimate
     * {@code mean_u d − γ·mean_l d} with {@code cᵢ = 1/n_u} on unlabeled and {@code −γ/n_l} on labeled rows.
     *
     * @param c {@code [n]} weights
     */
    INDArray weightedScoreGradient(INDArray z, INDArray c) {
        Pass p = pass(z);
        INDArray q = sigmoidSlope(p.d()).muli(c.castTo(params.dataType()).reshape(c.length(), 1)); // ∂/∂s, [n, 1]
        INDArray delta = p.mask().mulRowVector(w2().reshape(1, width)).muliColumnVector(q); // ∂/∂a, [n, m]
        INDArray gW1 = p.z().transpose().mmul(delta);
        INDArray gb1 = delta.sum(0);
        INDArray gw2 = p.hidden().transpose().mmul(q);
        double gb2 = q.sumNumber().doubleValue();
        return flat(gW1, gb1, gw2, gb2);
    }

    /**
     * The gradient penalty {@code mean_i (‖∇_z d(x_i)‖ − 1)²} over the points {@code x [n, D]} (Gulrajani et al.
     * 2017), and, when {@code withGradient}, its gradient with respect to the parameters (flat; else {@code null}).
     */
    Penalty penalty(INDArray points, boolean withGradient) {
        return objective(points, null, 1, withGradient);
    }

    /**
     * The gradient (flat) of {@code Σᵢ cᵢ d(xᵢ) + λ·mean_i (‖∇_z d(xᵢ)‖ − 1)²} over the points {@code x [n, D]}
     * from one forward pass, with the penalty's value: what WAAL's critic step needs, where the score term's rows are
     * among the penalty's points (their {@code cᵢ} is 0 on the other points). Equal up to rounding to
     * {@code weightedScoreGradient(x, c) + λ·penalty(x, true).gradient()} (the test checks it), for one pass and one
     * set of products instead of two: with the score's {@code ∂/∂sᵢ = cᵢσ'ᵢ} added to the penalty's per-row
     * coefficient {@code rᵢσ''ᵢ‖uᵢ‖}, both terms share every product below.
     *
     * @param c {@code [n]} weights of the scores
     * @param penaltyWeight {@code λ}
     */
    Penalty objective(INDArray points, INDArray c, double penaltyWeight, boolean withGradient) {
        Pass p = pass(points);
        int n = (int) points.size(0);
        INDArray slope = sigmoidSlope(p.d()); // σ'
        INDArray v = v(p);
        INDArray u = v.mmul(w1().transpose()); // [n, D]
        INDArray uNorm = u.norm2(1).reshape(n, 1);
        INDArray norm = uNorm.mul(slope); // n_i = σ'‖u‖
        INDArray deviation = norm.sub(1.0);
        double value = deviation.mul(deviation).meanNumber().doubleValue();
        if (!withGradient) {
            return new Penalty(value, null);
        }
        INDArray r = deviation.mul(2.0 * penaltyWeight / n); // λ·∂penalty/∂n_i
        INDArray curvature = slope.mul(p.d().reshape(n, 1).mul(-2.0).addi(1.0)); // σ'' = σ'(1 − 2d)
        // û = u/‖u‖, and 0 where u = 0 (every hidden unit off: n = 0, and no direction to follow)
        INDArray safeNorm = uNorm.dup();
        BooleanIndexing.replaceWhere(safeNorm, 1.0, Conditions.equals(0.0));
        INDArray uHat = u.divColumnVector(safeNorm);
        INDArray rCurv = r.mul(curvature).muli(uNorm); // r σ''‖u‖: the coefficient of ∂s/∂θ
        if (c != null) {
            rCurv.addi(slope.mul(c.castTo(params.dataType()).reshape(n, 1))); // + c σ', the score term's ∂/∂s
        }
        INDArray rSlope = r.mul(slope); // r σ'
        INDArray gW1 = p.z().mulColumnVector(rCurv).addi(uHat.mulColumnVector(rSlope)).transpose().mmul(v);
        INDArray gb1 = v.mulColumnVector(rCurv).sum(0);
        INDArray gw2 = p.hidden().transpose().mmul(rCurv)
                .addi(p.mask().mul(uHat.mmul(w1())).transpose().mmul(rSlope));
        double gb2 = rCurv.sumNumber().doubleValue();
        return new Penalty(value, flat(gW1, gb1, gw2, gb2));
    }

    /** A gradient penalty's value and its flat gradient (or {@code null}). */
    record Penalty(double value, INDArray gradient) {}

    private INDArray flat(INDArray gW1, INDArray gb1, INDArray gw2, double gb2) {
        INDArray out = Nd4j.create(params.dataType(), params.length());
        long a = (long) inputSize * width;
        out.get(NDArrayIndex.interval(0, a)).assign(gW1.dup('c').reshape(a));
        out.get(NDArrayIndex.interval(a, a + width)).assign(gb1.reshape(width));
        out.get(NDArrayIndex.interval(a + width, a + 2L * width)).assign(gw2.reshape(width));
        out.putScalar(params.length() - 1, gb2);
        return out;
    }

    /** Moves the parameters by {@code −update} (an optimiser's update, flat). */
    void step(INDArray update) {
        params.subi(update.castTo(params.dataType()).reshape(params.length()));
    }
}
