package dev.al4j.dl4j;

import dev.al4j.core.Checks;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * How a {@link Dl4jLearner} trains: optimiser, learning rate and its step schedule, weight decay, epochs, mini-batch
 * size, retraining from scratch or warm start, and optional early stopping on a validation split.
 *
 * <p>An immutable value: every {@code withX} returns a new instance; {@code toString()} echoes the calls that build
 * it. The defaults follow the papers al4j implements: networks are retrained from scratch every round (Ask-n-Learn,
 * SCAL), 20 epochs, mini-batches of 64, no weight decay, no early stopping.
 *
 * <pre>{@code
 * Training adam = Training.adam(1e-3).withEpochs(20).withBatchSize(64);
 * Training scal = Training.sgd(0.1).withMomentum(0.9).withWeightDecay(5e-4).withEpochs(200)
 *         .withLearningRateDecay(0.1, 160);
 * }</pre>
 *
 * <p>SGD with momentum uses DL4J's Nesterov momentum ({@code Nesterovs}); DL4J has no plain (heavy-ball) momentum
 * updater. Weight decay is an L2 penalty {@code λ/2 ||w||²} on weights and biases, whose gradient {@code λ w} is
 * added before the optimiser step, as PyTorch's {@code weight_decay} does.
 */
public final class Training {

    /** The optimiser. */
    public enum Optimizer {
        /** Adam (Kingma and Ba 2015) with β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
        ADAM,
        /** Stochastic gradient descent, with Nesterov momentum when the momentum is above 0. */
        SGD
    }

    private final Optimizer optimizer;
    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final int epochs;
    private final int batchSize;
    private final double decayFactor;
    private final int[] decayEpochs; // ascending, distinct
    private final boolean warmStart;
    private final double validationFraction; // 0 = no early stopping
    private final int patience;

    private Training(Optimizer optimizer, double learningRate, double momentum, double weightDecay, int epochs,
            int batchSize, double decayFactor, int[] decayEpochs, boolean warmStart, double validationFraction,
            int patience) {
        this.optimizer = optimizer;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.decayFactor = decayFactor;
        this.decayEpochs = decayEpochs;
        this.warmStart = warmStart;
        this.validationFraction = validationFraction;
        this.patience = patience;
    }

    /** Adam with the given learning rate, 20 epochs, batches of 64 (the Ask-n-Learn MLP's optimiser is 1e-3). */
    public static Training adam(double learningRate) {
        Checks.checkPositive(learningRate, "learningRate");
        return new Training(Optimizer.ADAM, learningRate, 0, 0, 20, 64, 1, new int[0], false, 0, 0);
    }

    /** Plain SGD with the given learning rate (add momentum with {@link #withMomentum}), 20 epochs, batches of 64. */
    public static Training sgd(double learningRate) {
        Checks.checkPositive(learningRate, "learningRate");
        return new Training(Optimizer.SGD, learningRate, 0, 0, 20, 64, 1, new int[0], false, 0, 0);
    }

    /** The default: {@code Training.adam(1e-3)}, 20 epochs, batches of 64. */
    public static Training defaults() {
        return adam(1e-3);
    }

    /** The number of passes over the training data. */
    public Training withEpochs(int epochs) {
        Checks.checkPositive(epochs, "epochs");
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, validationFraction, patience);
    }

    /** The mini-batch size; the last batch of an epoch may be smaller. */
    public Training withBatchSize(int batchSize) {
        Checks.checkPositive(batchSize, "batchSize");
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, validationFraction, patience);
    }

    /** Momentum in {@code [0, 1)} for SGD (Nesterov); Adam has its own and rejects this. */
    public Training withMomentum(double momentum) {
        Checks.checkArgument(optimizer == Optimizer.SGD, "momentum applies to Training.sgd(...) only, this is %s",
                this);
        Checks.checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), found %s", momentum);
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, validationFraction, patience);
    }

    /** The L2 weight-decay coefficient {@code λ >= 0} (0 = none). */
    public Training withWeightDecay(double weightDecay) {
        Checks.checkArgument(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY,
                "weightDecay must be finite and >= 0, found %s", weightDecay);
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, validationFraction, patience);
    }

    /**
     * A step learning-rate schedule: the rate is multiplied by {@code factor} at the start of each of the given
     * (0-based) epochs, e.g. {@code withLearningRateDecay(0.1, 160)} for SCAL's ×0.1 at epoch 160.
     */
    public Training withLearningRateDecay(double factor, int... epochs) {
        Checks.checkArgument(factor > 0 && factor <= 1, "factor must be in (0, 1], found %s", factor);
        Checks.checkNotNull(epochs, "epochs");
        int[] sorted = epochs.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            Checks.checkArgument(sorted[i] > 0, "decay epochs must be > 0, found %d", sorted[i]);
            Checks.checkArgument(i == 0 || sorted[i] != sorted[i - 1], "decay epochs must be distinct, found %d twice",
                    sorted[i]);
        }
        return new Training(optimizer, learningRate, momentum, weightDecay, this.epochs, batchSize, factor, sorted,
                warmStart, validationFraction, patience);
    }

    /**
     * Whether each fit starts from the weights of the learner's previous fit (warm start) instead of a fresh
     * initialisation (the default, as in the papers). See {@link Dl4jLearner} for what this means for sharing a
     * learner.
     */
    public Training withWarmStart(boolean warmStart) {
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, validationFraction, patience);
    }

    /**
     * Early stopping: holds out {@code validationFraction} of the labeled samples (a seeded random split), scores
     * them after every epoch and stops after {@code patience} epochs without a lower validation loss, keeping the
     * weights of the best epoch. With fewer than 2 samples in either part the fit trains on everything instead.
     */
    public Training withEarlyStopping(double validationFraction, int patience) {
        Checks.checkArgument(validationFraction > 0 && validationFraction < 1,
                "validationFraction must be in (0, 1), found %s", validationFraction);
        Checks.checkPositive(patience, "patience");
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, validationFraction, patience);
    }

    /** Turns early stopping off (the default). */
    public Training withoutEarlyStopping() {
        return new Training(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor, decayEpochs,
                warmStart, 0, 0);
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public double learningRate() {
        return learningRate;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean warmStart() {
        return warmStart;
    }

    /** Whether early stopping is on. */
    public boolean earlyStopping() {
        return validationFraction > 0;
    }

    public double validationFraction() {
        return validationFraction;
    }

    public int patience() {
        return patience;
    }

    /** The learning rate used during {@code epoch} (0-based). */
    public double learningRateAt(int epoch) {
        double lr = learningRate;
        for (int e : decayEpochs) {
            if (epoch >= e) {
                lr *= decayFactor;
            }
        }
        return lr;
    }

    /** The DL4J updater for this configuration. */
    IUpdater updater() {
        ISchedule schedule = null;
        if (decayEpochs.length > 0) {
            Map<Integer, Double> values = new HashMap<>();
            values.put(0, learningRate);
            for (int e : decayEpochs) {
                values.put(e, learningRateAt(e));
            }
            schedule = new MapSchedule(ScheduleType.EPOCH, values);
        }
        return switch (optimizer) {
            case ADAM -> schedule == null ? new Adam(learningRate) : new Adam(schedule);
            case SGD -> momentum > 0
                    ? (schedule == null ? new Nesterovs(learningRate, momentum) : new Nesterovs(schedule, momentum))
                    : (schedule == null ? new Sgd(learningRate) : new Sgd(schedule));
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Training t && optimizer == t.optimizer && learningRate == t.learningRate
                && momentum == t.momentum && weightDecay == t.weightDecay && epochs == t.epochs
                && batchSize == t.batchSize && decayFactor == t.decayFactor && Arrays.equals(decayEpochs, t.decayEpochs)
                && warmStart == t.warmStart && validationFraction == t.validationFraction && patience == t.patience;
    }

    @Override
    public int hashCode() {
        return Objects.hash(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, decayFactor,
                Arrays.hashCode(decayEpochs), warmStart, validationFraction, patience);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Training.").append(optimizer == Optimizer.ADAM ? "adam(" : "sgd(")
                .append(num(learningRate)).append(')');
        if (momentum > 0) {
            s.append(".withMomentum(").append(num(momentum)).append(')');
        }
        if (weightDecay > 0) {
            s.append(".withWeightDecay(").append(num(weightDecay)).append(')');
        }
        s.append(".withEpochs(").append(epochs).append(").withBatchSize(").append(batchSize).append(')');
        if (decayEpochs.length > 0) {
            s.append(".withLearningRateDecay(").append(num(decayFactor));
            for (int e : decayEpochs) {
                s.append(", ").append(e);
            }
            s.append(')');
        }
        if (warmStart) {
            s.append(".withWarmStart(true)");
        }
        if (validationFraction > 0) {
            s.append(".withEarlyStopping(").append(num(validationFraction)).append(", ").append(patience).append(')');
        }
        return s.toString();
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
