package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import dev.al4j.core.Seeds;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The three networks of VAAL (seed 001, "Adversarial Setup"; Sinha, Ebrahimi and Darrell 2019) and one training step
 * of each side of its minimax game, with the losses and their gradients written out by hand: DL4J's
 * {@code VariationalAutoencoder} layer trains on its own ELBO and cannot take the adversarial term, so the encoder,
 * the decoder and the discriminator are three plain {@link MultiLayerNetwork}s chained by the chain rule here
 * ({@link #backprop} with external errors, then the network's own Adam updater).
 *
 * <ul>
 *   <li>encoder {@code q_φ(z|x)}: {@code x → 512 → 256 → [μ, log σ²]} (ReLU hidden layers, linear output of size
 *       {@code 2·z});
 *   <li>reparameterised sample {@code z = μ + exp(½ log σ²) ⊙ ε}, {@code ε ~ N(0, I)} ({@link #reparameterize});
 *   <li>decoder {@code p_θ(x|z)}: {@code z → 256 → 512 → x̂} (ReLU, linear output: any input range);
 *   <li>discriminator {@code D}: {@code μ → 512 → 512 → 512 → 512 → 1} (ReLU), a logit {@code s} with
 *       {@code D(μ) = σ(s)} the probability that the sample is labeled (the authors' adversary, fed the mean
 *       {@code μ} as their code does).
 * </ul>
 *
 * <p>Losses of one step on a labeled batch {@code L} and an unlabeled batch {@code U} (means over each batch):
 * <pre>
 * L_VAE^trd = mean_L[‖x − x̂‖² + β·KL] + mean_U[‖x − x̂‖² + β·KL],
 *             KL = KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²)          (β-VAE, VAAL eq. 1)
 * L_VAE^adv = mean_L[−log D(μ)] + mean_U[−log D(μ)]                                     (both "labeled", eq. 2)
 * L_VAE     = L_VAE^trd + λ·L_VAE^adv                                                   (eq. 3, λ = λ₂ / λ₁)
 * L_D       = mean_L[−log D(μ)] + mean_U[−log (1 − D(μ))]                               (eq. 4)
 * </pre>
 * The reconstruction term {@code ‖x − x̂‖²} is the Gaussian negative log-likelihood with variance ½ up to a constant,
 * per sample (summed over the inputs), so its balance with the KL term does not depend on the batch size or the input
 * size; the authors' code uses the element-mean squared error and a batch-summed KL instead. Their code also trains the
 * VAE's adversarial term towards labeled = 1, unlabeled = 0 (the discriminator's own targets); al4j follows the paper,
 * where the VAE tries to make the discriminator call every sample labeled.
 *
 * <p>Not thread-safe: one instance belongs to one query.
 */
final class VaalNetworks {

    static final int[] ENCODER_HIDDEN = {512, 256};
    static final int[] DISCRIMINATOR_HIDDEN = {512, 512, 512, 512};

    /** What one VAE step computed: the mean reconstruction + β·KL part, and the adversarial part before λ. */
    record VaeLosses(double transductive, double adversarial) {}

    private final MultiLayerNetwork encoder;
    private final MultiLayerNetwork decoder;
    private final MultiLayerNetwork discriminator;
    private final int latent;
    private final double beta;
    private final double adversaryWeight;
    private final DataType type;
    private int vaeIterations;
    private int discriminatorIterations;

    private VaalNetworks(MultiLayerNetwork encoder, MultiLayerNetwork decoder, MultiLayerNetwork discriminator,
            int latent, double beta, double adversaryWeight, DataType type) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.discriminator = discriminator;
        this.latent = latent;
        this.beta = beta;
        this.adversaryWeight = adversaryWeight;
        this.type = type;
    }

    /** The networks with the default layer sizes, in float. */
    static VaalNetworks of(int inputSize, int latent, double beta, double adversaryWeight, Training training,
            long seed) {
        return of(inputSize, latent, beta, adversaryWeight, training, seed, ENCODER_HIDDEN, DISCRIMINATOR_HIDDEN,
                DataType.FLOAT);
    }

    /**
     * The networks with the given hidden-layer sizes (the decoder mirrors the encoder's) and data type (tests check
     * gradients in double on small networks).
     */
    static VaalNetworks of(int inputSize, int latent, double beta, double adversaryWeight, Training training,
            long seed, int[] encoderHidden, int[] discriminatorHidden, DataType type) {
        int[] decoderHidden = new int[encoderHidden.length];
        for (int i = 0; i < encoderHidden.length; i++) {
            decoderHidden[i] = encoderHidden[encoderHidden.length - 1 - i];
        }
        MultiLayerNetwork encoder = mlp(inputSize, encoderHidden, 2 * latent, training, Seeds.mix(seed, 1), type);
        MultiLayerNetwork decoder = mlp(latent, decoderHidden, inputSize, training, Seeds.mix(seed, 2), type);
        MultiLayerNetwork discriminator = mlp(latent, discriminatorHidden, 1, training, Seeds.mix(seed, 3), type);
        return new VaalNetworks(encoder, decoder, discriminator, latent, beta, adversaryWeight, type);
    }

    /** Dense ReLU layers, then a linear output layer, He-initialised (the authors' Kaiming initialisation). */
    private static MultiLayerNetwork mlp(int in, int[] hidden, int out, Training training, long seed,
            DataType type) {
        NeuralNetConfiguration.ListBuilder b = Dl4jLearner.baseConfiguration(training, seed).dataType(type)
                .weightInit(WeightInit.RELU).list();
        int width = in;
        for (int h : hidden) {
            b.layer(new DenseLayer.Builder().nIn(width).nOut(h).activation(Activation.RELU).build());
            width = h;
        }
        b.layer(new DenseLayer.Builder().nIn(width).nOut(out).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    DataType dataType() {
        return type;
    }

    MultiLayerNetwork encoder() {
        return encoder;
    }

    MultiLayerNetwork decoder() {
        return decoder;
    }

    MultiLayerNetwork discriminator() {
        return discriminator;
    }

    /** {@code z = μ + exp(½ log σ²) ⊙ ε}, elementwise; a new array. */
    static INDArray reparameterize(INDArray mu, INDArray logVariance, INDArray epsilon) {
        return Transforms.exp(logVariance.mul(0.5), false).muli(epsilon).addi(mu);
    }

    /** {@code KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²)} of every row, {@code [n]}. */
    static INDArray klDivergence(INDArray mu, INDArray logVariance) {
        INDArray terms = logVariance.add(1.0).subi(mu.mul(mu))
                .subi(Transforms.exp(logVariance, true));
        return terms.sum(1).muli(-0.5);
    }

    /** The encoder's {@code μ} of {@code x} ({@code [n, inputSize]}), inference mode. */
    INDArray mu(INDArray x) {
        INDArray out = encoder.output(x, false);
        return out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)).dup();
    }

    /** The discriminator's logits {@code s} ({@code D = σ(s)}) of latent means {@code μ}, {@code [n]}. */
    INDArray logits(INDArray mu) {
        return discriminator.output(mu, false).reshape(-1);
    }

    /**
     * One VAE step: the loss {@code L_VAE} of the batches and its gradient with respect to the encoder's and the
     * decoder's parameters (left in their gradient views; the discriminator's is computed on the way and discarded),
     * and, when {@code update}, one optimiser step of the encoder and the decoder.
     *
     * @param x {@code [nL + nU, inputSize]}: the labeled batch's rows first
     * @param labeledRows {@code nL >= 1}
     * @param epsilon {@code [nL + nU, z]} standard normal noise of the reparameterisation
     */
    VaeLosses vaeStep(INDArray x, int labeledRows, INDArray epsilon, boolean update) {
        int n = (int) x.size(0);
        int unlabeledRows = n - labeledRows;
        INDArray weights = rowWeights(labeledRows, unlabeledRows); // [n, 1]: 1/nL or 1/nU

        encoder.setInput(x);
        List<INDArray> encoderActivations = encoder.feedForward(true, false);
        INDArray encoded = last(encoderActivations);
        INDArray mu = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)).dup();
        INDArray logVar = encoded.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent)).dup();
        INDArray z = reparameterize(mu, logVar, epsilon);
        INDArray sigma = Transforms.exp(logVar.mul(0.5), true); // for the gradient below

        decoder.setInput(z);
        List<INDArray> decoderActivations = decoder.feedForward(true, false);
        INDArray reconstruction = last(decoderActivations);
        INDArray error = reconstruction.sub(x);
        INDArray squared = error.mul(error).sum(1).reshape(n, 1);
        INDArray kl = klDivergence(mu, logVar).reshape(n, 1);
        double transductive = squared.add(kl.mul(beta)).muli(weights).sumNumber().doubleValue();
        // ∂/∂x̂ of w_i ‖x̂_i − x_i‖² = 2 w_i (x̂_i − x_i)
        INDArray dReconstruction = error.muli(2.0).muliColumnVector(weights);
        Backprop decoderBack = backprop(decoder, decoderActivations, dReconstruction, true, true);
        INDArray dz = decoderBack.inputGradient();

        // The adversarial term w_i·softplus(−s_i) (−log σ(s) with target "labeled" for every row): ∂/∂s = w_i(σ(s) − 1).
        discriminator.setInput(mu);
        List<INDArray> discriminatorActivations = discriminator.feedForward(true, false);
        INDArray s = last(discriminatorActivations);
        double[] logit = s.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] w = weights.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double adversarial = 0;
        double[] dLogit = new double[n];
        for (int i = 0; i < n; i++) {
            adversarial += w[i] * softplus(-logit[i]);
            dLogit[i] = adversaryWeight * w[i] * (sigmoid(logit[i]) - 1);
        }
        INDArray dMuAdversarial = backprop(discriminator, discriminatorActivations,
                Nd4j.createFromArray(dLogit).reshape(n, 1).castTo(type), false, true).inputGradient();

        // z = μ + σ ⊙ ε, σ = exp(½ log σ²): ∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ⊙ ε;
        // ∂KL/∂μ = μ, ∂KL/∂log σ² = ½ (σ² − 1).
        INDArray dMu = dz.add(mu.mul(beta).muliColumnVector(weights)).addi(dMuAdversarial);
        INDArray dLogVar = dz.mul(sigma).muli(epsilon).muli(0.5)
                .addi(sigma.mul(sigma).subi(1.0).muli(0.5 * beta).muliColumnVector(weights));
        Gradient encoderGradient = backprop(encoder, encoderActivations, Nd4j.hstack(dMu, dLogVar), true, false)
                .gradient();
        double total = transductive + adversaryWeight * adversarial;
        Checks.checkState(Double.isFinite(total), "the VAE loss is %s; try a lower learning rate", total);
        if (update) {
            step(encoder, encoderGradient, vaeIterations);
            step(decoder, decoderBack.gradient(), vaeIterations);
            vaeIterations++;
        }
        return new VaeLosses(transductive, adversarial);
    }

    /** What {@link #backprop} computed: the parameter gradients (or {@code null}) and the input gradient (or null). */
    record Backprop(Gradient gradient, INDArray inputGradient) {}

    /**
     * Backpropagation through one of the three networks (dense layers, ReLU or identity) from the activations of a
     * training-mode {@code feedForward} ({@code activations}, input first) and the gradient {@code epsilon} of the loss
     * with respect to the output: {@code δ_i = ε_i ⊙ 1[a_i > 0]} (ReLU; {@code ε_i} for the linear layer),
     * {@code ∂/∂W_i = a_{i−1}ᵀ δ_i}, {@code ∂/∂b_i = Σ_rows δ_i}, {@code ε_{i−1} = δ_i W_iᵀ}. With {@code weights},
     * the parameter gradients go into the network's gradient view (the layout DL4J's updater reads) and come back as
     * a {@link Gradient} of views, as DL4J's {@code backpropGradient} returns them; with {@code input}, the gradient
     * with respect to the network's input is returned. Why not DL4J's {@code backpropGradient}: it recomputes every
     * layer's pre-activation {@code a_{i−1}W_i + b_i} (one more matrix product per layer than backpropagation needs)
     * and always computes both gradients, while the VAE step needs only the discriminator's input gradient and the
     * discriminator step only its weight gradients. Same products as DL4J's, so equal up to rounding;
     * {@code VariationalAdversarialActiveLearningTest} checks it against {@code backpropGradient}, and the
     * finite-difference checks of both losses cover it.
     */
    static Backprop backprop(MultiLayerNetwork net, List<INDArray> activations, INDArray epsilon, boolean weights,
            boolean input) {
        int layers = net.getnLayers();
        INDArray[] gW = new INDArray[layers];
        INDArray[] gb = new INDArray[layers];
        INDArray e = epsilon;
        for (int i = layers - 1; i >= 0; i--) {
            Layer layer = net.getLayer(i);
            IActivation activation = ((BaseLayer) layer.conf().getLayer()).getActivationFn();
            if (activation instanceof ActivationReLU) { // a = relu(pre): ∂a/∂pre = 1[a > 0]
                INDArray mask = Transforms.step(activations.get(i + 1), true);
                e = e == epsilon ? e.mul(mask) : e.muli(mask);
            } else {
                Checks.checkState(activation instanceof ActivationIdentity,
                        "layer %d of %s has activation %s, expected ReLU or identity", i, net, activation);
            }
            if (weights) {
                Map<String, INDArray> views = DefaultParamInitializer.getInstance()
                        .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
                gW[i] = views.get(DefaultParamInitializer.WEIGHT_KEY);
                gb[i] = views.get(DefaultParamInitializer.BIAS_KEY);
                Nd4j.gemm(activations.get(i), e, gW[i], true, false, 1.0, 0.0); // straight into the view
                gb[i].assign(e.sum(0).reshape(gb[i].shape()));
            }
            if (i > 0 || input) {
                e = Nd4j.gemm(e, layer.getParam(DefaultParamInitializer.WEIGHT_KEY), false, true);
            }
        }
        Gradient gradient = null;
        if (weights) {
            gradient = new DefaultGradient(net.getGradientsViewArray());
            for (int i = 0; i < layers; i++) {
                gradient.setGradientFor(i + "_" + DefaultParamInitializer.WEIGHT_KEY, gW[i]);
                gradient.setGradientFor(i + "_" + DefaultParamInitializer.BIAS_KEY, gb[i]);
            }
        }
        return new Backprop(gradient, input ? e : null);
    }

    /**
     * One discriminator step on the encoder's means (inference mode, not trained here): returns {@code L_D} and
     * leaves its gradient in the discriminator's gradient view; with {@code update}, one optimiser step.
     */
    double discriminatorStep(INDArray x, int labeledRows, boolean update) {
        return discriminatorStepOnMeans(mu(x), labeledRows, update);
    }

    /** {@link #discriminatorStep} from the latent means {@code μ} ({@code [nL + nU, z]}, labeled rows first). */
    double discriminatorStepOnMeans(INDArray mu, int labeledRows, boolean update) {
        int n = (int) mu.size(0);
        double[] w = rowWeights(labeledRows, n - labeledRows).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        discriminator.setInput(mu);
        List<INDArray> activations = discriminator.feedForward(true, false);
        double[] logit = last(activations).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double loss = 0;
        double[] dLogit = new double[n];
        for (int i = 0; i < n; i++) {
            double target = i < labeledRows ? 1 : 0;
            // −log σ(s) for labeled rows, −log(1 − σ(s)) = softplus(s) for unlabeled: ∂/∂s = w_i (σ(s) − target)
            loss += w[i] * (target == 1 ? softplus(-logit[i]) : softplus(logit[i]));
            dLogit[i] = w[i] * (sigmoid(logit[i]) - target);
        }
        Gradient gradient = backprop(discriminator, activations,
                Nd4j.createFromArray(dLogit).reshape(n, 1).castTo(type), true, false).gradient();
        Checks.checkState(Double.isFinite(loss), "the discriminator loss is %s; try a lower learning rate", loss);
        if (update) {
            step(discriminator, gradient, discriminatorIterations++);
        }
        return loss;
    }

    /** Standard normal noise {@code [rows, z]} in the networks' data type, from {@code random}. */
    INDArray noise(int rows, SplittableRandom random) {
        double[] e = new double[rows * latent];
        for (int i = 0; i < e.length; i++) {
            e[i] = random.nextGaussian();
        }
        return Nd4j.createFromArray(e).reshape(rows, latent).castTo(type);
    }

    private INDArray rowWeights(int labeledRows, int unlabeledRows) {
        Checks.checkArgument(labeledRows > 0 && unlabeledRows > 0,
                "a VAAL step needs labeled and unlabeled rows, found %d and %d", labeledRows, unlabeledRows);
        double[] w = new double[labeledRows + unlabeledRows];
        java.util.Arrays.fill(w, 0, labeledRows, 1.0 / labeledRows);
        java.util.Arrays.fill(w, labeledRows, w.length, 1.0 / unlabeledRows);
        return Nd4j.createFromArray(w).reshape(w.length, 1).castTo(type);
    }

    /**
     * Applies the network's updater (Adam) to the gradient in its gradient view and subtracts the update from the
     * parameters. The gradient is already the batch mean, so the updater's division by the mini-batch size gets 1.
     */
    private static void step(MultiLayerNetwork net, Gradient gradient, int iteration) {
        // The updater turns the gradient view (which the Gradient's per-parameter arrays are views of) into the update
        // in place, weight decay included; DL4J's own fit then subtracts it the same way.
        net.getUpdater().update(net, gradient, iteration, net.getEpochCount(), 1, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params();
        params.subi(net.getGradientsViewArray().reshape(params.shape()));
    }

    private static INDArray last(java.util.List<INDArray> activations) {
        return activations.get(activations.size() - 1);
    }

    /** {@code log(1 + e^a)} without overflow. */
    static double softplus(double a) {
        return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
    }

    static double sigmoid(double a) {
        return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    }
}
