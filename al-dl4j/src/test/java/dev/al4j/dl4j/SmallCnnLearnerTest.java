package dev.al4j.dl4j;

import static dev.al4j.dl4j.MlpLearnerTest.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.TrainingData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The small CNN end to end on synthetic 28×28 images. */
class SmallCnnLearnerTest {

    @Test
    void learnsSeparableImagesAndGivesEmbeddingsAndMcPasses() {
        SyntheticData data = SyntheticData.blobs(160, 784, 4, 5);
        Pool pool = data.pool(data.asImages(28), 100);
        Dl4jModel model = Dl4jLearner.of(Architectures.smallCnn().withFilters(8).withDenseSize(32),
                Training.adam(1e-3).withEpochs(3).withBatchSize(20)).fit(TrainingData.of(pool, 4));
        double[] losses = model.trainingLosses();
        assertTrue(losses[2] < losses[0], java.util.Arrays.toString(losses));
        int[] test = range(100, 160);
        Predictions p = model.predict(pool, test);
        assertArrayEquals(new long[] {60, 32}, p.embeddings().shape());
        INDArray predicted = p.probabilities().argMax(1);
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            correct += predicted.getInt(i) == data.labels[test[i]] ? 1 : 0;
        }
        assertTrue(correct > 30, "accuracy " + correct + "/60, chance is 15/60");
        assertArrayEquals(new long[] {5, 60, 4}, model.stochasticProbabilities(pool, test, 5, 1).shape());
        assertEquals(model.network().params(), Dl4jLearner.of(model.architecture(), model.training())
                .fit(TrainingData.of(pool, 4)).network().params());
    }
}
