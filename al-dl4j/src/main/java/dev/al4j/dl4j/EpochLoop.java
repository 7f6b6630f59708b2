package dev.al4j.dl4j;

import dev.al4j.core.Progress;
import dev.al4j.core.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mini-batch training loop shared by the learners: seeded shuffling per epoch, optional early stopping on a
 * seeded validation split (keeping the best epoch's weights), per-epoch losses and progress.
 */
final class EpochLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

    /**
     * Turns a batch's one-hot labels into the targets the network is fitted to, one array per network output
     * (the one-hot labels by default).
     */
    @FunctionalInterface
    interface Targets {
        INDArray[] of(ComputationGraph net, INDArray inputs, INDArray oneHot, int iteration);

        Targets ONE_HOT = (net, inputs, oneHot, iteration) -> new INDArray[] {oneHot};
    }

    /**
     * Turns a mini-batch of the training data into the samples one step trains on (e.g. two augmented views of each
     * sample for a contrastive loss); the batch as it is by default. Must be a pure function of its arguments.
     */
    @FunctionalInterface
    interface Batches {
        /**
         * @param inputs the batch's network inputs {@code [b, inputShape...]}
         * @param oneHot its one-hot labels {@code [b, K]}
         * @param rows its rows of the training data
         * @param epoch the epoch, or −1 for the validation split (made once, before the first epoch)
         */
        Batch of(INDArray inputs, INDArray oneHot, int[] rows, int epoch);

        Batches AS_IS = (inputs, oneHot, rows, epoch) -> new Batch(inputs, oneHot);
    }

    /**
     * Called at the end of every epoch run, after the epoch's last step and before early stopping may restore the
     * best weights (e.g. to record the weights of each epoch). Must not change the network.
     */
    @FunctionalInterface
    interface EpochEnd {
        /**
         * @param epoch the epoch just run, from 0
         * @param last whether no epoch follows (the last of {@code epochs}, or an early stop)
         */
        void after(ComputationGraph net, int epoch, boolean last);

        EpochEnd NONE = (net, epoch, last) -> { };
    }

    /** Network inputs and their one-hot labels. */
    record Batch(INDArray inputs, INDArray oneHot) {}

    /** Mean training loss per epoch run, and validation losses when early stopping was on. */
    record Result(double[] losses, double[] validationLosses) {}

    /** Where this loop's epochs sit in the progress reported for the whole fit. */
    record ProgressSpan(Progress progress, int offset, int total) {
        static ProgressSpan of(Progress progress, int epochs) {
            return new ProgressSpan(progress, 0, epochs);
        }
    }

    private EpochLoop() {}

    /**
     * Trains {@code net} in place.
     *
     * @param flat {@code [n, values]} inputs, one row per sample
     * @param inputShape the network's per-sample input shape
     * @param y {@code [n, K]} one-hot labels
     */
    static Result run(ComputationGraph net, INDArray flat, long[] inputShape, INDArray y, Training training,
            long seed, Targets targets, ProgressSpan span, Object what) {
        return run(net, flat, inputShape, y, training, seed, Batches.AS_IS, targets, span, what);
    }

    /** As above; {@code epochEnd} is called at the end of every epoch run. */
    static Result run(ComputationGraph net, INDArray flat, long[] inputShape, INDArray y, Training training,
            long seed, Targets targets, ProgressSpan span, Object what, EpochEnd epochEnd) {
        return run(net, flat, inputShape, y, training, seed, Batches.AS_IS, targets, span, what, epochEnd);
    }

    /** As above; {@code batches} turns each mini-batch (and the validation split) into what a step trains on. */
    static Result run(ComputationGraph net, INDArray flat, long[] inputShape, INDArray y, Training training,
            long seed, Batches batches, Targets targets, ProgressSpan span, Object what) {
        return run(net, flat, inputShape, y, training, seed, batches, targets, span, what, EpochEnd.NONE);
    }

    private static Result run(ComputationGraph net, INDArray flat, long[] inputShape, INDArray y, Training training,
            long seed, Batches batches, Targets targets, ProgressSpan span, Object what, EpochEnd epochEnd) {
        int n = (int) flat.size(0);
        int[] order = permutation(n, new SplittableRandom(Seeds.mix(seed, 2)));
        int validation = training.earlyStopping() ? (int) Math.round(training.validationFraction() * n) : 0;
        if (validation < 2 || n - validation < 2) {
            validation = 0;
        }
        int[] trainRows = Arrays.copyOfRange(order, validation, n);
        Arrays.sort(trainRows);
        DataSet validationSet = null;
        if (validation > 0) {
            int[] valRows = Arrays.copyOfRange(order, 0, validation);
            Batch v = batches.of(rows(flat, valRows, inputShape), Nd4j.pullRows(y, 1, valRows), valRows, -1);
            validationSet = new DataSet(v.inputs(), v.oneHot());
        }
        int epochs = training.epochs();
        double[] losses = new double[epochs];
        double[] validationLosses = new double[validationSet == null ? 0 : epochs];
        double best = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        int bestEpoch = -1;
        int epochsRun = 0;
        int batch = training.batchSize();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long started = System.nanoTime();
            int[] shuffled = trainRows.clone();
            shuffle(shuffled, new SplittableRandom(Seeds.mix(seed, 3, epoch)));
            double sum = 0;
            for (int from = 0; from < shuffled.length; from += batch) {
                int[] rows = Arrays.copyOfRange(shuffled, from, Math.min(shuffled.length, from + batch));
                Batch step = batches.of(rows(flat, rows, inputShape), Nd4j.pullRows(y, 1, rows), rows, epoch);
                INDArray x = step.inputs();
                net.fit(new INDArray[] {x}, targets.of(net, x, step.oneHot(), net.getIterationCount()));
                sum += net.score() * rows.length;
            }
            net.incrementEpochCount();
            losses[epoch] = sum / shuffled.length;
            epochsRun = epoch + 1;
            if (validationSet != null) {
                double v = net.score(validationSet, false);
                validationLosses[epoch] = v;
                if (v < best) {
                    best = v;
                    bestEpoch = epoch;
                    bestParams = net.params().dup();
                }
            }
            LOG.debug("{}: epoch {}/{} loss {} ({} ms)", what, epoch + 1, epochs, losses[epoch],
                    (System.nanoTime() - started) / 1_000_000);
            span.progress().update("fit", span.offset() + epoch + 1, span.total());
            boolean stop = validationSet != null && epoch - bestEpoch >= training.patience();
            epochEnd.after(net, epoch, stop || epoch == epochs - 1);
            if (stop) {
                LOG.debug("{}: early stop after epoch {}, best validation loss {} at epoch {}", what, epoch + 1, best,
                        bestEpoch + 1);
                span.progress().update("fit", span.offset() + epochs, span.total());
                break;
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        return new Result(Arrays.copyOf(losses, epochsRun),
                Arrays.copyOf(validationLosses, Math.min(epochsRun, validationLosses.length)));
    }

    /** The given rows of {@code flat}, shaped {@code [rows, inputShape...]}. */
    static INDArray rows(INDArray flat, int[] rows, long[] inputShape) {
        INDArray picked = Nd4j.pullRows(flat, 1, rows);
        if (inputShape.length == 1) {
            return picked;
        }
        long[] shape = new long[inputShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return picked.reshape('c', shape);
    }

    /** {@code [n, K]} one-hot float labels. */
    static INDArray oneHot(int[] labels, int k) {
        float[] y = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            y[i * k + labels[i]] = 1f;
        }
        return Nd4j.create(y, new long[] {labels.length, k}, 'c');
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
