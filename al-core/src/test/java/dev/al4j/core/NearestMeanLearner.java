package dev.al4j.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny deterministic learner for loop tests: class means of the training inputs; probabilities are
 * softmax(−‖x − μ_k‖²); the embedding is the input itself. Classes without training samples get mean 0.
 */
public final class NearestMeanLearner implements Learner<EmbeddingModel> {

    @Override
    public EmbeddingModel fit(TrainingData data, Progress progress) {
        INDArray x = data.inputs().castTo(DataType.DOUBLE);
        int k = data.numClasses();
        int d = (int) x.columns();
        double[][] means = new double[k][d];
        int[] counts = new int[k];
        double[][] rows = x.toDoubleMatrix();
        for (int i = 0; i < rows.length; i++) {
            int c = data.labels()[i];
            counts[c]++;
            for (int j = 0; j < d; j++) {
                means[c][j] += rows[i][j];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] /= Math.max(1, counts[c]);
            }
        }
        progress.update("fit", 1, 1);
        return new Fitted(means);
    }

    @Override
    public String toString() {
        return "NearestMeanLearner";
    }

    private record Fitted(double[][] means) implements EmbeddingModel {

        @Override
        public int numClasses() {
            return means.length;
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return predict(pool, ids).probabilities();
        }

        @Override
        public int embeddingSize() {
            return means[0].length;
        }

        @Override
        public Predictions predict(Pool pool, int[] ids) {
            INDArray x = pool.requireInputs("NearestMeanLearner").rows(ids).castTo(DataType.DOUBLE);
            double[][] rows = x.toDoubleMatrix();
            double[][] p = new double[ids.length][means.length];
            for (int i = 0; i < ids.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < means.length; c++) {
                    double dist = 0;
                    for (int j = 0; j < means[c].length; j++) {
                        double diff = rows[i][j] - means[c][j];
                        dist += diff * diff;
                    }
                    p[i][c] = -dist;
                    max = Math.max(max, p[i][c]);
                }
                double sum = 0;
                for (int c = 0; c < means.length; c++) {
                    p[i][c] = Math.exp(p[i][c] - max);
                    sum += p[i][c];
                }
                for (int c = 0; c < means.length; c++) {
                    p[i][c] /= sum;
                }
            }
            return new Predictions(ids.length == 0 ? Nd4j.create(DataType.DOUBLE, 0, means.length) : Nd4j.create(p),
                    x);
        }
    }
}
