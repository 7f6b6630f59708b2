package dev.al4j.benchmarks;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.Strategies;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query time of the seed papers' strategies at the SCAL paper's Table 1 setting: 10 000 candidates, 512-d
 * features, K = 10, b = 1 000, 1 000 labeled samples. The model's outputs are precomputed, so the time is the
 * query alone (the paper's timings also include the forward pass). Entropy on the same outputs is the unit of the
 * paper's Table 1 (FeatureSim 1.32, DFM 1.38, CoreSet 15.2, BALD 35.7 entropy units).
 *
 * <p>Features are class clusters (a mean per class plus Gaussian noise) so that the class PCA of DFM and the
 * neighbourhoods of CAL look like those of trained features; probabilities are a softmax of noisy logits favouring
 * the sample's class. Everything is a pure function of the seed. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar SeedPaperQueryBenchmark}; a smoke run with tiny sizes:
 * {@code ... SeedPaperQueryBenchmark -f 0 -wi 0 -i 1 -r 1 -p candidates=200 -p dimension=16 -p labeled=50 -p budget=20}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SeedPaperQueryBenchmark {

    @Param({"entropy", "featureSimilarity", "deepFeatureModeling", "contrastiveActiveLearning"})
    public String strategy;

    @Param("10000")
    public int candidates;

    @Param("512")
    public int dimension;

    @Param("10")
    public int classes;

    @Param("1000")
    public int labeled;

    @Param("1000")
    public int budget;

    private Pool pool;
    private PrecomputedModel model;
    private QueryStrategy query;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        int n = candidates + labeled;
        float[][] means = new float[classes][dimension];
        for (float[] mean : means) {
            for (int j = 0; j < dimension; j++) {
                mean[j] = (float) (2 * gaussian(random));
            }
        }
        int[] truth = new int[n];
        float[] embeddings = new float[n * dimension];
        float[] probabilities = new float[n * classes];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(classes);
            for (int j = 0; j < dimension; j++) {
                embeddings[i * dimension + j] = means[truth[i]][j] + (float) gaussian(random);
            }
            double[] logits = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                logits[c] = 1.5 * gaussian(random) + (c == truth[i] ? 3 : 0);
                max = Math.max(max, logits[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                logits[c] = Math.exp(logits[c] - max);
                sum += logits[c];
            }
            for (int c = 0; c < classes; c++) {
                probabilities[i * classes + c] = (float) (logits[c] / sum);
            }
        }
        model = PrecomputedModel.builder(Nd4j.create(probabilities, new long[] {n, classes}, 'c'))
                .embeddings(Nd4j.create(embeddings, new long[] {n, dimension}, 'c')).build();
        // The labeled ids are the last ones; their labels are the cluster they were drawn from.
        int[] labeledIds = new int[labeled];
        int[] labels = new int[labeled];
        for (int j = 0; j < labeled; j++) {
            labeledIds[j] = candidates + j;
            labels[j] = truth[candidates + j];
        }
        pool = Pool.withoutInputs(n, classes).withLabels(labeledIds, labels);
        query = switch (strategy) {
            case "entropy" -> Strategies.entropy(); // the unit of the paper's Table 1
            case "featureSimilarity" -> Strategies.featureSimilarity();
            case "deepFeatureModeling" -> Strategies.deepFeatureModeling();
            case "contrastiveActiveLearning" -> Strategies.contrastiveActiveLearning();
            default -> throw new IllegalArgumentException("unknown strategy " + strategy);
        };
    }

    @Benchmark
    public Selection query() {
        return query.select(pool, model, budget);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
