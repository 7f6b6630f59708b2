package dev.al4j.strategies;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.InputModel;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.TestModels;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A test model that runs on any input: softmax of a fixed random linear map of the flattened input; the
 * embeddings are {@code tanh} of another linear map. It counts the rows it is asked to run on arbitrary inputs.
 */
final class LinearSoftmaxModel implements EmbeddingModel, InputModel {

    private final INDArray weights; // [inputSize, K]
    private final INDArray features; // [inputSize, d]
    private final int k;
    final AtomicInteger augmentedRows = new AtomicInteger();

    LinearSoftmaxModel(int inputSize, int k, int d, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[inputSize * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * TestModels.gaussian(r);
        }
        double[] f = new double[inputSize * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = TestModels.gaussian(r);
        }
        this.weights = Nd4j.create(w, new long[] {inputSize, k}, 'c');
        this.features = Nd4j.create(f, new long[] {inputSize, d}, 'c');
        this.k = k;
    }

    @Override
    public int numClasses() {
        return k;
    }

    private INDArray run(INDArray inputs) {
        INDArray x = inputs.castTo(DataType.DOUBLE).reshape('c', inputs.size(0), weights.rows());
        return Transforms.softmax(x.mmul(weights));
    }

    @Override
    public INDArray probabilities(INDArray inputs) {
        augmentedRows.addAndGet((int) inputs.size(0));
        return run(inputs);
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        return run(pool.requireInputs("LinearSoftmaxModel").rows(ids));
    }

    @Override
    public int embeddingSize() {
        return features.columns();
    }

    @Override
    public Predictions predict(Pool pool, int[] ids) {
        INDArray inputs = pool.requireInputs("LinearSoftmaxModel").rows(ids);
        INDArray x = inputs.castTo(DataType.DOUBLE).reshape('c', inputs.size(0), weights.rows());
        return new Predictions(run(inputs), Transforms.tanh(x.mmul(features)));
    }
}
