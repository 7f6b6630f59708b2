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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * VAAL, variational adversarial active learning (Sinha, Ebrahimi and Darrell 2019, "Variational Adversarial Active
 * Learning", ICCV; seed 001, "Adversarial Setup"; seed 003 runs it as {@code VAAL}, Fashion-MNIST AUBC 0.8297 in its
 * Table 6): at every query a β-VAE and a discriminator on its latent space are trained, adversarially, on the labeled
 * samples and the candidates; the query takes the candidates the discriminator finds least likely to be labeled. The
 * task model given to {@link #select} is not used (VAAL is task-agnostic), so {@code model} may be {@code null}.
 *
 * <p>Training (the paper's Algorithm 1, one VAE step then one discriminator step per mini-batch pair, Adam for both;
 * the losses are written out in {@link VaalNetworks}):
 * <ul>
 *   <li>the VAE minimises {@code L_VAE = L_VAE^trd + λ·L_VAE^adv}: the β-VAE objective, reconstruction
 *       {@code ‖x − x̂‖²} plus {@code β·KL(q(z|x) ‖ N(0, I))}, on the labeled and the unlabeled batch (eq. 1), and the
 *       adversarial term {@code −log D(μ)} on both batches, which makes the encoder map every sample to where the
 *       discriminator says "labeled" (eq. 2–3);
 *   <li>the discriminator minimises the binary cross-entropy {@code −log D(μ_L) − log(1 − D(μ_U))}, labeled = 1,
 *       unlabeled = 0 (eq. 4), on the encoder's latent means {@code μ};
 *   <li>query: the {@code b} candidates with the lowest {@code D(μ(x))}, the probability of being labeled; ties go to
 *       the lower id. The reported score is the discriminator's log-odds of "unlabeled",
 *       {@code −s = log((1 − D)/D)}, monotone in {@code 1 − D} and free of the sigmoid's saturation.
 * </ul>
 * An epoch is {@code ⌈max(L, N) / B⌉} steps, each on the next {@code B} labeled and the next {@code B} unlabeled
 * samples (each side cycles through its own seeded shuffles), where {@code N} is the number of candidates: the
 * unlabeled side is the candidates, i.e. all unlabeled samples unless the loop restricts the query to a random subset,
 * which then also bounds the training cost. Fresh networks every query.
 *
 * <p>Networks: an MLP VAE on the flattened sample ({@code d → 512 → 256 → 2z}, decoder mirrored, linear output) and
 * the authors' discriminator ({@code z → 512 → 512 → 512 → 512 → 1}, ReLU); see {@link VaalNetworks}. The paper's
 * VAE is convolutional (the WAE encoder and decoder, 4 stride-2 convolutions of 128 to 1 024 channels, with
 * BatchNorm), and seed 003 (appendix D.2) "followed the same architecture"; al4j uses the MLP because that
 * convolutional VAE costs about 1.7 G multiply-adds per 32×32 sample per forward pass (mostly its transposed
 * convolutions), about 1 000 times the MLP's on 784 inputs, too much to retrain on a CPU at every query, and a 28×28
 * grey image is small enough for a dense encoder.
 *
 * <p>Defaults: latent size {@code z = 32}, {@code β = 1}, adversary weight {@code λ = 1} (the authors' code's
 * {@code latent_dim}, {@code beta}, {@code adversary_param}); Adam 1e-3 for 30 epochs as seed 003 (appendix D.2)
 * trains VAAL's VAE, mini-batches of 128 (the authors' code) from each side.
 *
 * <p>Cost per query: {@code epochs · ⌈max(L, N)/B⌉} steps, each a forward and backward pass of {@code 2B} samples
 * through the VAE ({@code ≈ 2·(512·d + 512·256 + 256·2z)} multiply-adds per sample) and the discriminator
 * ({@code ≈ 512·z + 3·512²}), plus one forward pass of the discriminator for the discriminator step; then one
 * encoder and discriminator pass per candidate and {@code O(N + b log b)} to pick. Measured on one core on 784
 * inputs at {@code B = 128}: about 0.14 s per step (benchmarks/README.md, "WAAL's and VAAL's training steps"), so
 * a query over 59 500 candidates with 30 epochs (13 950 steps) takes about half an hour, and one over a random subset
 * of 10 000 candidates about 6 minutes. Memory: the three networks and a
 * batch; the pool's inputs are read in batches. Immutable and thread-safe (each call trains its own networks); the
 * same pool, budget and seed give the same selection.
 *
 * <pre>{@code
 * QueryStrategy vaal = Dl4jStrategies.vaal().withSeed(7);
 * Selection next = vaal.select(pool, null, 250); // needs a pool with inputs and at least one label
 * QueryStrategy quick = vaal.withTraining(Training.adam(1e-3).withEpochs(5).withBatchSize(64));
 * }</pre>
 */
public final class VariationalAdversarialActiveLearning implements QueryStrategy {

    /** The default training: Adam 1e-3, 30 epochs (seed 003, appendix D.2), batches of 128 per side. */
    public static final Training DEFAULT_TRAINING = Training.adam(1e-3).withEpochs(30).withBatchSize(128);
    static final int DEFAULT_LATENT = 32;
    private static final int SCORE_BATCH = 512;

    private final Training training;
    private final int latentSize;
    private final double beta;
    private final double adversaryWeight;
    private final long seed;

    private VariationalAdversarialActiveLearning(Training training, int latentSize, double beta,
            double adversaryWeight, long seed) {
        this.training = training;
        this.latentSize = latentSize;
        this.beta = beta;
        this.adversaryWeight = adversaryWeight;
        this.seed = seed;
    }

    /** VAAL with the defaults above and seed 0. */
    static VariationalAdversarialActiveLearning defaults() {
        return new VariationalAdversarialActiveLearning(DEFAULT_TRAINING, DEFAULT_LATENT, 1, 1, 0);
    }

    /**
     * How the VAE and the discriminator train: optimiser and learning rate (both networks), epochs, mini-batch size
     * per side, weight decay and learning-rate decay epochs. Early stopping and warm start do not apply (the networks
     * are fresh at every query, and there is no validation loss to stop on).
     */
    public VariationalAdversarialActiveLearning withTraining(Training training) {
        Checks.checkNotNull(training, "training");
        return new VariationalAdversarialActiveLearning(training, latentSize, beta, adversaryWeight, seed);
    }

    /** The latent size {@code z >= 1} (default 32). */
    public VariationalAdversarialActiveLearning withLatentSize(int latentSize) {
        Checks.checkPositive(latentSize, "latentSize");
        return new VariationalAdversarialActiveLearning(training, latentSize, beta, adversaryWeight, seed);
    }

    /** The β-VAE's weight {@code β >= 0} of the KL term (default 1). */
    public VariationalAdversarialActiveLearning withBeta(double beta) {
        Checks.checkArgument(beta >= 0 && beta < Double.POSITIVE_INFINITY, "beta must be finite and >= 0, found %s",
                beta);
        return new VariationalAdversarialActiveLearning(training, latentSize, beta, adversaryWeight, seed);
    }

    /** The weight {@code λ >= 0} of the VAE's adversarial term (default 1; the paper's {@code λ₂} with {@code λ₁ = 1}). */
    public VariationalAdversarialActiveLearning withAdversaryWeight(double lambda) {
        Checks.checkArgument(lambda >= 0 && lambda < Double.POSITIVE_INFINITY,
                "lambda must be finite and >= 0, found %s", lambda);
        return new VariationalAdversarialActiveLearning(training, latentSize, beta, lambda, seed);
    }

    /** The seed of the networks' initialisation, the shuffling and the reparameterisation noise. */
    public VariationalAdversarialActiveLearning withSeed(long seed) {
        return new VariationalAdversarialActiveLearning(training, latentSize, beta, adversaryWeight, seed);
    }

    public Training training() {
        return training;
    }

    public int latentSize() {
        return latentSize;
    }

    public double beta() {
        return beta;
    }

    public double adversaryWeight() {
        return adversaryWeight;
    }

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        long start = System.nanoTime();
        Checks.checkNotNull(pool, "pool");
        Checks.checkNonNegative(budget, "budget");
        PoolInputs inputs = pool.requireInputs(toString());
        int[] labeled = pool.labeled();
        Checks.checkArgument(labeled.length > 0,
                "%s trains a discriminator between labeled and unlabeled samples and needs labeled samples, found "
                        + "none", this);
        int[] candidates = pool.candidates();
        if (budget == 0 || candidates.length == 0) {
            return Selection.of(new int[0], new double[0], System.nanoTime() - start);
        }
        VaalNetworks nets = train(inputs, labeled, candidates).networks();
        double[] scores = unlabeledLogOdds(nets, inputs, candidates);
        return TopK.selection(candidates, scores, budget, start);
    }

    /** The trained networks and, per epoch, the mean {@code L_VAE^trd} and {@code L_D} over its steps. */
    record Trained(VaalNetworks networks, double[] transductiveLosses, double[] discriminatorLosses) {}

    /** Trains fresh networks on the labeled ids against the unlabeled ids (both non-empty). */
    Trained train(PoolInputs inputs, int[] labeled, int[] unlabeled) {
        int d = (int) Arrays.stream(inputs.sampleShape()).reduce(1, (a, b) -> a * b);
        VaalNetworks nets = VaalNetworks.of(d, latentSize, beta, adversaryWeight, training, Seeds.mix(seed, 31));
        return train(nets, inputs, labeled, unlabeled, training.epochs(), training.batchSize(), seed);
    }

    /** Trains {@code nets} in place: per step, one VAE step and one discriminator step on the same batches. */
    static Trained train(VaalNetworks nets, PoolInputs inputs, int[] labeled, int[] unlabeled, int epochs, int batch,
            long seed) {
        Cycle labeledSide = new Cycle(labeled, Seeds.mix(seed, 32));
        Cycle unlabeledSide = new Cycle(unlabeled, Seeds.mix(seed, 33));
        SplittableRandom noise = new SplittableRandom(Seeds.mix(seed, 34));
        int steps = (Math.max(labeled.length, unlabeled.length) + batch - 1) / batch;
        int nL = Math.min(batch, labeled.length);
        int nU = Math.min(batch, unlabeled.length);
        double[] transductive = new double[epochs];
        double[] discriminator = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int step = 0; step < steps; step++) {
                int[] ids = concat(labeledSide.next(nL), unlabeledSide.next(nU));
                INDArray x = flat(inputs, ids, nets.dataType());
                transductive[epoch] += nets.vaeStep(x, nL, nets.noise(ids.length, noise), true).transductive();
                discriminator[epoch] += nets.discriminatorStep(x, nL, true);
            }
            transductive[epoch] /= steps;
            discriminator[epoch] /= steps;
            for (MultiLayerNetwork net : new MultiLayerNetwork[] {nets.encoder(), nets.decoder(),
                    nets.discriminator()}) {
                net.incrementEpochCount();
            }
        }
        return new Trained(nets, transductive, discriminator);
    }

    /** {@code −s = log((1 − D)/D)} of every id: the discriminator's log-odds that it is unlabeled. */
    static double[] unlabeledLogOdds(VaalNetworks nets, PoolInputs inputs, int[] ids) {
        double[] scores = new double[ids.length];
        for (int from = 0; from < ids.length; from += SCORE_BATCH) {
            int to = Math.min(ids.length, from + SCORE_BATCH);
            INDArray x = flat(inputs, Arrays.copyOfRange(ids, from, to), nets.dataType());
            double[] s = nets.logits(nets.mu(x)).castTo(DataType.DOUBLE).toDoubleVector();
            for (int i = 0; i < s.length; i++) {
                scores[from + i] = -s[i];
            }
        }
        return scores;
    }

    /** The rows of {@code ids} as {@code [n, d]} in {@code type}, checked finite. */
    private static INDArray flat(PoolInputs inputs, int[] ids, DataType type) {
        INDArray rows = inputs.rows(ids);
        INDArray x = rows.reshape('c', ids.length, rows.length() / ids.length).castTo(type);
        return Checks.checkFinite(x, "pool inputs");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Ids in a seeded shuffled order, reshuffled at every full pass. */
    private static final class Cycle {
        private final int[] order;
        private final SplittableRandom random;
        private int at;

        Cycle(int[] ids, long seed) {
            this.order = ids.clone();
            this.random = new SplittableRandom(seed);
            shuffle();
        }

        /** The next {@code n <= ids.length} ids, all distinct. */
        int[] next(int n) {
            if (at + n > order.length) {
                shuffle();
            }
            int[] out = Arrays.copyOfRange(order, at, at + n);
            at += n;
            return out;
        }

        private void shuffle() {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            at = 0;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VariationalAdversarialActiveLearning v && training.equals(v.training)
                && latentSize == v.latentSize && beta == v.beta && adversaryWeight == v.adversaryWeight
                && seed == v.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(training, latentSize, beta, adversaryWeight, seed);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Dl4jStrategies.vaal()");
        if (!training.equals(DEFAULT_TRAINING)) {
            s.append(".withTraining(").append(training).append(')');
        }
        if (latentSize != DEFAULT_LATENT) {
            s.append(".withLatentSize(").append(latentSize).append(')');
        }
        if (beta != 1) {
            s.append(".withBeta(").append(beta).append(')');
        }
        if (adversaryWeight != 1) {
            s.append(".withAdversaryWeight(").append(adversaryWeight).append(')');
        }
        return s.append(".withSeed(").append(seed).append(')').toString();
    }
}
