package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial active learning (Ducoffe and Precioso, "Adversarial Active Learning for Deep Networks: a Margin Based
 * Approach", 2018; seed 003, section on adversarial methods, which runs it as AdvBIM and AdvDeepFool): each candidate's
 * distance to the decision boundary is estimated by the smallest input perturbation {@code r_x} an attack finds that
 * changes the network's predicted label, {@code α(x) = ‖r_x‖₂} (seed 003's {@code r_x = argmin_{r: M(x) ≠ M(x + r)}}),
 * and the query takes the {@code b} candidates of <em>smallest</em> distance (ties toward the lower id). Two attacks:
 * <ul>
 *   <li>{@link Attack#DEEP_FOOL DeepFool} (Moosavi-Dezfooli, Fawzi and Frossard 2016, Algorithm 2): at the current
 *       point {@code x_i}, for every class {@code k ≠ ŷ}, {@code w_k = ∇f_k − ∇f_ŷ} and {@code f'_k = f_k − f_ŷ} (logits
 *       {@code f}); the step {@code r_i = (|f'_l| + 10⁻⁴) w_l / ‖w_l‖²} towards the nearest linearised boundary
 *       {@code l = argmin_k |f'_k| / ‖w_k‖}; the label is tested at {@code x + (1 + η) Σ r_i} (overshoot
 *       {@code η = 0.02}) and the distance is {@code ‖(1 + η) Σ r_i‖};
 *   <li>{@link Attack#BIM BIM} (basic iterative method, Kurakin, Goodfellow and Bengio 2017, without clipping, as the
 *       DeepAL toolkit runs it): {@code η ← η + ε · sign(∇_x CE(x + η, ŷ))} until the label changes; the distance is
 *       {@code ‖η‖}.
 * </ul>
 * A candidate whose label does not change within {@link #withMaxIterations the maximum number of iterations} gets the
 * largest distance, {@code +∞}, and is picked after every candidate that flipped. {@link Selection#scores()} holds the
 * distances (smaller was picked first).
 *
 * <p>Gradients with respect to the input come from the network itself, in inference mode (dropout off, BatchNorm on
 * its running statistics), by {@link InputGradients}; logits are read from the classifier's input {@code h} and
 * weights ({@code f = h W + b}), so the model must be a {@link Dl4jModel} (from {@link Dl4jLearner}) and the pool
 * must hold the inputs (a pool without them fails with {@code Pool.requireInputs}' {@link IllegalStateException}).
 * The network must backpropagate in inference mode: the MLP and the small CNN do; networks with BatchNorm (ResNet-18,
 * VGG-16) or with dropout after their convolutional blocks ({@link DropoutPlacement#AFTER_CONV_BLOCKS}) are refused
 * with an {@link IllegalArgumentException} naming the vertex.
 *
 * <p>Cost: per candidate and iteration ({@code I ≤ maxIterations}, default 50), one forward pass through the body
 * and, for BIM, one backward pass, for DeepFool {@code K} backward passes; candidates leave the batch once they flip.
 * Time O(N·I·(1 + K)·c) for DeepFool and O(N·I·2c) for BIM, with {@code c} the cost of one pass; memory
 * O(B·K·D) for DeepFool's gradients of one mini-batch of {@code B} inputs of {@code D} values. Seed 003 reports
 * AdvBIM as by far its most expensive method. Deterministic (no randomness); immutable and thread-safe (calls on one
 * model take turns on its network's lock).
 *
 * <pre>{@code
 * QueryStrategy deepFool = Dl4jStrategies.advDeepFool();
 * Selection next = deepFool.select(pool, learner.fit(TrainingData.of(pool, 1)), 100);
 * QueryStrategy bim = Dl4jStrategies.advBim().withStep(0.05).withMaxIterations(50);
 * }</pre>
 */
public final class AdversarialSampling implements QueryStrategy {

    /** The attack that estimates the distance to the decision boundary. */
    public enum Attack {
        /** The basic iterative method: fixed-size sign steps up the loss of the predicted label. */
        BIM,
        /** DeepFool: steps to the nearest boundary of the network linearised at the current point. */
        DEEP_FOOL
    }

    /** The default step size {@code ε} of BIM (the DeepAL toolkit's). */
    public static final double DEFAULT_STEP = 0.05;
    /** The default maximum number of attack iterations per candidate. */
    public static final int DEFAULT_MAX_ITERATIONS = 50;
    /** DeepFool's overshoot {@code η} (the paper's 0.02). */
    public static final double OVERSHOOT = 0.02;

    private final Attack attack;
    private final double step;
    private final int maxIterations;

    private AdversarialSampling(Attack attack, double step, int maxIterations) {
        this.attack = attack;
        this.step = step;
        this.maxIterations = maxIterations;
    }

    /** The strategy with {@code attack}, the default step and maximum iterations. */
    public static AdversarialSampling of(Attack attack) {
        return new AdversarialSampling(Checks.checkNotNull(attack, "attack"), DEFAULT_STEP, DEFAULT_MAX_ITERATIONS);
    }

    /** A copy with BIM's step size {@code ε > 0} (DeepFool ignores it). */
    public AdversarialSampling withStep(double step) {
        Checks.checkArgument(step > 0 && Double.isFinite(step), "step must be finite and > 0, found %s", step);
        return new AdversarialSampling(attack, step, maxIterations);
    }

    /** A copy that gives up on a candidate after {@code iterations >= 1} attack steps. */
    public AdversarialSampling withMaxIterations(int iterations) {
        Checks.checkArgument(iterations >= 1, "maxIterations must be >= 1, found %d", iterations);
        return new AdversarialSampling(attack, step, iterations);
    }

    /** The attack. */
    public Attack attack() {
        return attack;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget, Dl4jModel.class, this, (m, candidates, start) -> {
            double[] distances = distances(pool, m, candidates);
            double[] negated = new double[distances.length];
            for (int i = 0; i < negated.length; i++) {
                negated[i] = -distances[i]; // TopK takes the largest: the smallest distance first, ties to the lower id
            }
            return Selection.atPositions(TopK.top(negated, candidates, budget), candidates, distances, start);
        });
    }

    /**
     * The attack's perturbation norm of every id ({@code +∞} when the label did not change within the maximum number
     * of iterations), in mini-batches of the model's inference batch size.
     */
    public double[] distances(Pool pool, Dl4jModel model, int[] ids) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNotNull(ids, "ids");
        double[] out = new double[ids.length];
        int batch = model.inferenceBatchSize();
        for (int from = 0; from < ids.length; from += batch) {
            int[] chunk = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + batch));
            INDArray x = model.networkInputs(pool, chunk);
            Result r = model.withInputGradients(g -> attack(g, x));
            System.arraycopy(r.distances, 0, out, from, chunk.length);
        }
        return out;
    }

    /** The distances and the perturbed inputs of one attack on a batch. */
    record Result(double[] distances, INDArray perturbed) {}

    /**
     * Attacks the rows of {@code x} ({@code [n, networkInputShape...]}); the perturbed inputs are those at which the
     * label changed (the last iterate for a row that never flipped).
     */
    Result attack(InputGradients g, INDArray x) {
        int n = (int) x.size(0);
        long[] shape = x.shape();
        int width = (int) (x.length() / Math.max(1, n));
        float[] x0 = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] delta = new float[x0.length]; // the perturbation so far (DeepFool: Σ r_i; BIM: η)
        double[] distance = new double[n];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        int[] original = null;
        int[] active = new int[n];
        Arrays.setAll(active, i -> i);
        double scale = attack == Attack.DEEP_FOOL ? 1 + OVERSHOOT : 1;
        for (int iteration = 0; active.length > 0; iteration++) {
            int m = active.length;
            float[] xs = new float[m * width];
            for (int a = 0; a < m; a++) {
                int row = active[a];
                for (int j = 0, at = row * width; j < width; j++, at++) {
                    xs[a * width + j] = (float) (x0[at] + scale * delta[at]);
                }
            }
            long[] batchShape = shape.clone();
            batchShape[0] = m;
            INDArray h = g.forward(Nd4j.create(xs, batchShape, 'c').castTo(g.weights().dataType()));
            INDArray logits = g.logits(h);
            int[] label = argMaxRows(logits);
            if (original == null) {
                original = label;
            }
            int kept = 0;
            int[] still = new int[m];
            for (int a = 0; a < m; a++) {
                int row = active[a];
                if (label[a] != original[row]) {
                    distance[row] = scale * norm(delta, row * width, width);
                } else {
                    still[kept++] = a;
                }
            }
            if (kept == 0 || iteration == maxIterations) {
                break;
            }
            int[] keep = Arrays.copyOf(still, kept);
            int[] rows = new int[kept];
            for (int a = 0; a < kept; a++) {
                rows[a] = active[keep[a]];
            }
            if (kept < m) {
                // The backward pass reads the vertices' inputs of the last forward pass: redo it on the survivors.
                long[] keptShape = shape.clone();
                keptShape[0] = kept;
                float[] ks = new float[kept * width];
                for (int a = 0; a < kept; a++) {
                    System.arraycopy(xs, keep[a] * width, ks, a * width, width);
                }
                h = g.forward(Nd4j.create(ks, keptShape, 'c').castTo(g.weights().dataType()));
                logits = g.logits(h);
            }
            int[] y = new int[kept];
            for (int a = 0; a < kept; a++) {
                y[a] = original[rows[a]];
            }
            if (attack == Attack.BIM) {
                bimStep(g, logits, y, rows, width, delta);
            } else {
                deepFoolStep(g, logits, y, rows, width, delta);
            }
            active = rows;
        }
        float[] perturbed = new float[x0.length];
        for (int i = 0; i < perturbed.length; i++) {
            perturbed[i] = (float) (x0[i] + scale * delta[i]);
        }
        return new Result(distance, Nd4j.create(perturbed, shape, 'c'));
    }

    /** {@code η ← η + ε · sign(∇_x CE(x + η, y))}, with {@code ∂CE/∂h = W (p − e_y)}. */
    private void bimStep(InputGradients g, INDArray logits, int[] y, int[] rows, int width, float[] delta) {
        int k = (int) logits.columns();
        float[] oneHot = new float[y.length * k];
        for (int a = 0; a < y.length; a++) {
            oneHot[a * k + y[a]] = 1;
        }
        INDArray residual = softmax(logits).subi(Nd4j.create(oneHot, new long[] {y.length, k}, 'c')
                .castTo(logits.dataType()));
        INDArray eps = residual.mmul(g.weights().transpose());
        float[] grad = g.backward(eps).castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int a = 0; a < rows.length; a++) {
            int base = rows[a] * width;
            for (int j = 0; j < width; j++) {
                delta[base + j] += (float) (step * Math.signum(grad[a * width + j]));
            }
        }
    }

    /** One DeepFool step towards the nearest linearised boundary, added to {@code delta}. */
    private static void deepFoolStep(InputGradients g, INDArray logits, int[] y, int[] rows, int width,
            float[] delta) {
        int m = y.length;
        INDArray w = g.weights(); // [d, K]
        int k = (int) w.columns();
        float[][] grads = new float[k][];
        for (int c = 0; c < k; c++) {
            // ∇_x f_c for every row: the vector-Jacobian product with the class's weight column.
            INDArray eps = Nd4j.zeros(w.dataType(), m, w.rows()).addiRowVector(w.getColumn(c).reshape(1, -1));
            grads[c] = g.backward(eps).castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
        float[] f = logits.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int a = 0; a < m; a++) {
            int yo = y[a];
            int best = -1;
            double bestRatio = Double.POSITIVE_INFINITY;
            double bestGap = 0;
            double bestNorm2 = 0;
            for (int c = 0; c < k; c++) {
                if (c == yo) {
                    continue;
                }
                double norm2 = 0;
                for (int j = 0; j < width; j++) {
                    double wj = (double) grads[c][a * width + j] - grads[yo][a * width + j];
                    norm2 += wj * wj;
                }
                double gap = Math.abs((double) f[a * k + c] - f[a * k + yo]);
                double ratio = gap / Math.sqrt(norm2);
                if (norm2 > 0 && ratio < bestRatio) {
                    bestRatio = ratio;
                    best = c;
                    bestGap = gap;
                    bestNorm2 = norm2;
                }
            }
            if (best < 0) {
                continue; // no class's score moves with the input: no step
            }
            double factor = (bestGap + 1e-4) / bestNorm2;
            int base = rows[a] * width;
            for (int j = 0; j < width; j++) {
                delta[base + j] += (float) (factor * ((double) grads[best][a * width + j] - grads[yo][a * width + j]));
            }
        }
    }

    private static INDArray softmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(-1, 1));
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(shifted, true);
        return e.diviColumnVector(e.sum(1).reshape(-1, 1));
    }

    /** Row-wise argmax, ties toward the lower class. */
    static int[] argMaxRows(INDArray a) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int k = (int) a.columns();
        int[] out = new int[(int) a.rows()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (v[i * k + c] > v[i * k + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static double norm(float[] v, int from, int length) {
        double s = 0;
        for (int j = from; j < from + length; j++) {
            s += (double) v[j] * v[j];
        }
        return Math.sqrt(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdversarialSampling s && s.attack == attack && s.step == step
                && s.maxIterations == maxIterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(attack, step, maxIterations);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(attack == Attack.BIM ? "Dl4jStrategies.advBim()"
                : "Dl4jStrategies.advDeepFool()");
        if (attack == Attack.BIM && step != DEFAULT_STEP) {
            s.append(".withStep(").append(step).append(')');
        }
        if (maxIterations != DEFAULT_MAX_ITERATIONS) {
            s.append(".withMaxIterations(").append(maxIterations).append(')');
        }
        return s.toString();
    }
}
