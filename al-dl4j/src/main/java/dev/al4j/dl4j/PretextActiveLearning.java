package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Seeds;
import dev.al4j.core.Selection;
import dev.al4j.core.TopK;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PAL, pretext-based active learning (Bhatnagar, Goyal, Tank and Sethi 2021, "PAL: Pretext-based Active Learning",
 * BMVC): a separate scoring network, trained on the labeled samples with a self-supervised rotation-prediction head
 * (which of 0°, 90°, 180°, 270° was applied) and a classification head, scores the unlabeled samples; the task model
 * given to {@link #select} is not used.
 *
 * <p>Scores (seed 004, Sect. 3), for a candidate {@code x} with rotated copies {@code x_r}:
 * <ul>
 *   <li>self-supervision {@code S_S(x) = −Σ_r p_rot(r | x_r)} (eq. 1): high when the network cannot tell how
 *       {@code x} was rotated, i.e. {@code x} is unlike the labeled samples;
 *   <li>classification {@code S_C(x) = −KL(U ‖ p_cls(x))} (eq. 3), in nats (natural logarithm, as in the paper's
 *       appendix C): high when the class prediction is near uniform;
 *   <li>diversity {@code S_D(x)} (eq. 4): {@code S_S} under {@code φ′}, a copy of the scoring network fine-tuned
 *       with the rotation loss only (learning rate ×0.1, 5 epochs per sub-query) on the samples already picked in
 *       this query.
 * </ul>
 * The query is split into {@code K} sub-queries (sizes differing by at most one) as in Algorithm 1: the first takes
 * the top {@code S_S + λ₁·S_C}, each later one the top {@code S_S + λ₁·S_C + λ₂·S_D} among the candidates not yet
 * picked. {@code φ′ = φ} is copied once per query and fine-tuned further before each sub-query on all picks so far
 * ({@code D_Q}), so its fine-tuning carries over from one sub-query to the next (Algorithm 1's
 * "Initialize: D_Q = ∅; φ′ = φ" outside the sub-query loop). Algorithm 1 writes {@code arg min}, but Sect. 3.2–3.3
 * select the samples with the <em>highest</em> score ("for a novel sample ... S_C to be high"); al4j follows the
 * text. Ties go to the lower id.
 *
 * <p>Inputs must be square images ({@code [c, s, s]} or {@code [s, s]} samples). Cost per query: training the
 * scoring network ({@code epochs · 4L} forward/backward passes), {@code K − 1} fine-tunings of one copy on at most
 * {@code b} picks, and {@code K} scoring passes over the {@code 4N} rotated candidates; memory {@code O(N)} besides
 * one batch and the one copy {@code φ′}.
 * Immutable and thread-safe; the same pool, budget and seed give the same selection.
 *
 * <pre>{@code
 * QueryStrategy pal = Dl4jStrategies.pal(Architectures.smallCnn(), Training.adam(1e-3).withEpochs(10)).withSeed(7);
 * Selection next = pal.select(pool, model, 100);
 * }</pre>
 */
public final class PretextActiveLearning implements QueryStrategy {

    static final int FINE_TUNE_EPOCHS = 5;
    static final double FINE_TUNE_RATE_FACTOR = 0.1;
    private static final int BATCH = 256; // candidates per scoring batch (4× as many rotated copies)

    private final Architecture architecture;
    private final Training training;
    private final double classificationWeight;
    private final double diversityWeight;
    private final int subQueries;
    private final long seed;

    PretextActiveLearning(Architecture architecture, Training training, double classificationWeight,
            double diversityWeight, int subQueries, long seed) {
        this.architecture = architecture;
        this.training = training;
        this.classificationWeight = classificationWeight;
        this.diversityWeight = diversityWeight;
        this.subQueries = subQueries;
        this.seed = seed;
    }

    /** The weight {@code λ₁ >= 0} of the classification score (default 1). */
    public PretextActiveLearning withClassificationWeight(double lambda) {
        Checks.checkArgument(lambda >= 0 && lambda < Double.POSITIVE_INFINITY, "lambda must be finite and >= 0, "
                + "found %s", lambda);
        return new PretextActiveLearning(architecture, training, lambda, diversityWeight, subQueries, seed);
    }

    /** The weight {@code λ₂ >= 0} of the diversity score (default 1). */
    public PretextActiveLearning withDiversityWeight(double lambda) {
        Checks.checkArgument(lambda >= 0 && lambda < Double.POSITIVE_INFINITY, "lambda must be finite and >= 0, "
                + "found %s", lambda);
        return new PretextActiveLearning(architecture, training, classificationWeight, lambda, subQueries, seed);
    }

    /** The number {@code K >= 1} of sub-queries a query is split into (default 5). */
    public PretextActiveLearning withSubQueries(int k) {
        Checks.checkPositive(k, "k");
        return new PretextActiveLearning(architecture, training, classificationWeight, diversityWeight, k, seed);
    }

    /** The seed of the scoring network's initialisation and shuffling. */
    public PretextActiveLearning withSeed(long seed) {
        return new PretextActiveLearning(architecture, training, classificationWeight, diversityWeight, subQueries,
                seed);
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        PoolInputs inputs = pool.requireInputs(toString());
        long[] sample = inputs.sampleShape();
        Checks.checkArgument((sample.length == 2 && sample[0] == sample[1])
                || (sample.length == 3 && sample[1] == sample[2]),
                "%s rotates images and needs square image samples [c, s, s] or [s, s], found sample shape %s", this,
                Arrays.toString(sample));
        int[] candidates = pool.candidates();
        int[] labeled = pool.labeled();
        Checks.checkArgument(labeled.length > 0, "%s trains a scoring network and needs labeled samples, found none",
                this);
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        int b = Math.min(budget, candidates.length);
        long[] image = sample.length == 2 ? new long[] {1, sample[0], sample[1]} : sample;
        long[] netShape = architecture.networkInputShape(image);

        ComputationGraph net = train(inputs, labeled, pool.labelsOf(labeled), pool.numClasses(), image, netShape);
        double[][] first = scores(net, inputs, candidates, image, netShape); // {S_S, S_C}
        double[] base = new double[candidates.length];
        for (int i = 0; i < base.length; i++) {
            base[i] = first[0][i] + classificationWeight * first[1][i];
        }
        int k = Math.min(subQueries, b);
        FineTuning fineTuning = (tuned, picks, q) -> fit(tuned, inputs, picks,
                Nd4j.zeros(DataType.FLOAT, picks.length, pool.numClasses()), image, netShape, FINE_TUNE_EPOCHS,
                training.batchSize(), false, Seeds.mix(seed, 23, q));
        Selection picks = subQueries(net, base, candidates, b, k, training.learningRate() * FINE_TUNE_RATE_FACTOR,
                fineTuning, tuned -> scores(tuned, inputs, candidates, image, netShape)[0]);
        return Selection.of(picks.ids(), picks.scores().orElseThrow(), System.nanoTime() - start);
    }

    /** Fine-tunes {@code φ′} in place on the picks so far, before sub-query {@code q} (1-based from the second). */
    @FunctionalInterface
    interface FineTuning {
        void fineTune(ComputationGraph phiPrime, int[] picks, int q);
    }

    /** {@code S_S} of every candidate under a network, i.e. {@code S_D} under {@code φ′}. */
    @FunctionalInterface
    interface DiversityScores {
        double[] of(ComputationGraph phiPrime);
    }

    /**
     * The diversity-based sub-query sampling of seed 004, Algorithm 1: {@code φ′ = φ} once (one copy of the scoring
     * network per query), then before each sub-query {@code q >= 2} {@code φ′} is fine-tuned further on all picks so
     * far ({@code D_Q}) and gives {@code S_D}; its fine-tuning carries over from one sub-query to the next. The
     * first sub-query takes the top {@code base = S_S + λ₁·S_C}, later ones the top {@code base + λ₂·S_D} among
     * the candidates not yet picked; sub-query sizes differ by at most one; ties go to the lower id.
     *
     * @param phi the trained scoring network; never changed
     * @param fineTuningRate {@code φ′}'s learning rate
     * @return the picks, in pick order, with the score each was picked with
     */
    Selection subQueries(ComputationGraph phi, double[] base, int[] candidates, int b, int k,
            double fineTuningRate, FineTuning fineTuning, DiversityScores diversityScores) {
        int[] picked = new int[b];
        double[] pickedScores = new double[b];
        boolean[] taken = new boolean[candidates.length];
        ComputationGraph phiPrime = null;
        int done = 0;
        for (int q = 0; q < k; q++) {
            int size = b / k + (q < b % k ? 1 : 0);
            double[] score = base.clone();
            if (q > 0) {
                if (phiPrime == null) {
                    phiPrime = phi.clone(); // Algorithm 1: "Initialize: φ′ = φ", once per query
                    phiPrime.setLearningRate(fineTuningRate);
                }
                fineTuning.fineTune(phiPrime, Arrays.copyOf(picked, done), q);
                double[] diversity = diversityScores.of(phiPrime);
                for (int i = 0; i < score.length; i++) {
                    score[i] += diversityWeight * diversity[i];
                }
            }
            int[] open = new int[candidates.length - done];
            double[] openScores = new double[open.length];
            int m = 0;
            for (int i = 0; i < candidates.length; i++) {
                if (!taken[i]) {
                    open[m] = i; // index into candidates
                    openScores[m++] = score[i];
                }
            }
            int[] openIds = new int[open.length];
            for (int i = 0; i < open.length; i++) {
                openIds[i] = candidates[open[i]];
            }
            for (int position : TopK.top(openScores, openIds, size)) {
                int i = open[position];
                taken[i] = true;
                picked[done] = candidates[i];
                pickedScores[done++] = score[i];
            }
        }
        return Selection.of(picked, pickedScores, 0);
    }

    private ComputationGraph train(PoolInputs inputs, int[] ids, int[] labels, int k, long[] image,
            long[] netShape) {
        Architecture.Built built = architecture.buildPretext(
                Dl4jLearner.baseConfiguration(training, Seeds.mix(seed, 21)), image, k);
        ComputationGraph net = new ComputationGraph(built.configuration());
        net.init();
        INDArray oneHot = EpochLoop.oneHot(labels, k);
        fit(net, inputs, ids, oneHot, image, netShape, training.epochs(), training.batchSize(), true,
                Seeds.mix(seed, 22));
        return net;
    }

    /**
     * Mini-batch training on the 4 rotations of each sample: rotation loss on every copy, classification loss on the
     * unrotated copy only (a label mask), or none with {@code classify} false.
     */
    private static void fit(ComputationGraph net, PoolInputs inputs, int[] ids, INDArray oneHot, long[] image,
            long[] netShape, int epochs, int batch, boolean classify, long seed) {
        int[] order = new int[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, epoch));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < order.length; from += batch) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
                int[] batchIds = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    batchIds[i] = ids[rows[i]];
                }
                INDArray x = Dl4jModel.toNetworkInput(Rotations.allFour(inputs.rows(batchIds), image), netShape);
                int n = rows.length;
                INDArray rotationLabels = Rotations.labels(n);
                INDArray classLabels = Nd4j.pullRows(oneHot, 1, rows).repeat(0, 4).reshape('c', 4L * n,
                        oneHot.size(1));
                INDArray classMask = Nd4j.zeros(DataType.FLOAT, 4L * n, 1);
                if (classify) {
                    for (int i = 0; i < n; i++) {
                        classMask.putScalar(4L * i, 1f); // the unrotated copy
                    }
                }
                net.fit(new INDArray[] {x}, new INDArray[] {rotationLabels, classLabels}, null,
                        new INDArray[] {null, classMask});
            }
            net.incrementEpochCount();
        }
    }

    /** {@code {S_S, S_C}} of every candidate, in batches. */
    static double[][] scores(ComputationGraph net, PoolInputs inputs, int[] candidates, long[] image,
            long[] netShape) {
        double[] selfSupervision = new double[candidates.length];
        double[] classification = new double[candidates.length];
        for (int from = 0; from < candidates.length; from += BATCH) {
            int to = Math.min(candidates.length, from + BATCH);
            INDArray x = Dl4jModel.toNetworkInput(
                    Rotations.allFour(inputs.rows(Arrays.copyOfRange(candidates, from, to)), image), netShape);
            INDArray[] out = net.output(false, x);
            double[] s = selfSupervisionScores(out[0]);
            double[] c = classificationScores(out[1]);
            for (int i = 0; i < s.length; i++) {
                selfSupervision[from + i] = s[i];
                classification[from + i] = c[i];
            }
        }
        return new double[][] {selfSupervision, classification};
    }

    /**
     * {@code S_S = −Σ_r p(r | x_r)} per sample, from rotation probabilities {@code [4n, 4]} whose row {@code 4i + r}
     * is sample {@code i} rotated by {@code r·90°}.
     */
    static double[] selfSupervisionScores(INDArray rotationProbabilities) {
        int n = (int) rotationProbabilities.size(0) / 4;
        float[] p = rotationProbabilities.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int r = 0; r < 4; r++) {
                sum += p[(4 * i + r) * 4 + r];
            }
            s[i] = -sum;
        }
        return s;
    }

    /**
     * {@code S_C = −KL(U ‖ p) = −Σ_k (1/K) ln((1/K)/p_k)} per sample (seed 004, eq. 3, in nats: the natural logarithm
     * of the paper's appendix C), from class probabilities {@code [4n, K]} of which the unrotated rows {@code 4i} are
     * used; probabilities are clipped at 1e-12.
     */
    static double[] classificationScores(INDArray classProbabilities) {
        int n = (int) classProbabilities.size(0) / 4;
        int k = (int) classProbabilities.size(1);
        float[] p = classProbabilities.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double u = 1.0 / k;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double kl = 0;
            for (int c = 0; c < k; c++) {
                kl += u * Math.log(u / Math.max(p[4 * i * k + c], 1e-12));
            }
            s[i] = -kl;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PretextActiveLearning p && architecture.equals(p.architecture)
                && training.equals(p.training) && classificationWeight == p.classificationWeight
                && diversityWeight == p.diversityWeight && subQueries == p.subQueries && seed == p.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, training, classificationWeight, diversityWeight, subQueries, seed);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Dl4jStrategies.pal(").append(architecture).append(", ").append(training)
                .append(')');
        if (classificationWeight != 1) {
            s.append(".withClassificationWeight(").append(classificationWeight).append(')');
        }
        if (diversityWeight != 1) {
            s.append(".withDiversityWeight(").append(diversityWeight).append(')');
        }
        if (subQueries != 5) {
            s.append(".withSubQueries(").append(subQueries).append(')');
        }
        return s.append(".withSeed(").append(seed).append(')').toString();
    }
}
