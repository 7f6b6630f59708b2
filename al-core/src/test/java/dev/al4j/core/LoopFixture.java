package dev.al4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small, fully deterministic active-learning world for loop tests (in this JVM and in child JVMs): 48 points in
 * the plane in 3 Gaussian clusters, a nearest-class-mean learner whose means are jittered by the fit seed (so that
 * a resume which refits with another seed is caught), a least-confidence strategy, and two metrics computed in plain
 * Java. Every number is a pure function of the seeds, so two JVMs compute bit-identical results.
 */
public final class LoopFixture {

    public static final int N = 48;
    public static final int K = 3;
    public static final int EVAL = 30;

    /** Called from inside the learner, the strategy and the oracle; tests use it to slow down, log or crash. */
    public interface Hooks {
        default void fit(int labeled) {}

        default void query(int candidates) {}

        default void oracle(int[] ids) {}

        default void pseudoLabels(int eligible) {}
    }

    private LoopFixture() {}

    /** The true class of each pool id. */
    public static int[] truth() {
        int[] t = new int[N];
        Arrays.setAll(t, i -> (i * 7 + i / 5) % K);
        return t;
    }

    /** The true class of each evaluation id. */
    public static int[] evalLabels() {
        int[] t = new int[EVAL];
        Arrays.setAll(t, i -> i % K);
        return t;
    }

    /** Points of the given classes: cluster centre on the unit circle plus N(0, 0.7²) noise, seeded. */
    static INDArray points(int[] classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[classes.length][2];
        for (int i = 0; i < classes.length; i++) {
            double angle = 2 * Math.PI * classes[i] / K;
            x[i][0] = Math.cos(angle) + 0.7 * TestModels.gaussian(random);
            x[i][1] = Math.sin(angle) + 0.7 * TestModels.gaussian(random);
        }
        return Nd4j.create(x).castTo(DataType.DOUBLE);
    }

    public static Pool pool() {
        return Pool.of(PoolInputs.of(points(truth(), 11)), K);
    }

    public static Pool evalPool() {
        return Pool.of(PoolInputs.of(points(evalLabels(), 12)), K);
    }

    /** The loop used by every resume test: initial 6, batches of 4, budget 30 (rounds 0..6), a candidate subset. */
    public static LoopBuilder builder(Hooks hooks, long seed) {
        return ActiveLearningLoop.builder()
                .pool(pool())
                .learner(new NearestMean(hooks))
                .strategy(new LeastConfidence(hooks))
                .oracle(oracle(hooks))
                .initialSize(6).batchSize(4).budget(30).candidateSubsetSize(30).seed(seed)
                .evaluation(evalPool(), evalLabels(), new Accuracy(), new MeanTrueProbability());
    }

    public static Oracle oracle(Hooks hooks) {
        Oracle exact = Oracles.simulated(truth());
        return new Oracle() {
            @Override
            public Answers label(int[] ids) {
                hooks.oracle(ids);
                return exact.label(ids);
            }

            @Override
            public String toString() {
                return "fixture oracle";
            }
        };
    }

    /**
     * A canonical text of what a run produced, for equality across runs and JVMs: every round's counts and exact
     * metric values, the stop reason and the final labels.
     */
    public static String describe(LoopResult result) {
        StringBuilder out = new StringBuilder();
        for (RoundResult r : result.rounds()) {
            out.append("round ").append(r.round()).append(" labeled=").append(r.labeledCount())
                    .append(" queried=").append(r.queried()).append(" answered=").append(r.answered())
                    .append(" counts=").append(Arrays.toString(r.labeledClassCounts()));
            if (r.pseudoLabels() > 0) {
                out.append(" pseudo=").append(r.pseudoLabels());
            }
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                out.append(' ').append(m.getKey()).append('=').append(Double.toString(m.getValue()));
            }
            out.append(" | ");
        }
        out.append("stop=").append(result.stopReason()).append(" labels=");
        Pool p = result.finalPool();
        out.append(Arrays.stream(p.labeled()).mapToObj(id -> id + ":" + p.label(id).getAsInt())
                .collect(Collectors.joining(",")));
        return out.toString();
    }

    /** Nearest class mean; each mean is moved by 0.05·N(0, 1) drawn from the fit seed. */
    public static final class NearestMean implements Learner<Model> {
        private final Hooks hooks;

        public NearestMean(Hooks hooks) {
            this.hooks = hooks;
        }

        @Override
        public Model fit(TrainingData data, Progress progress) {
            hooks.fit(data.size());
            double[][] x = data.inputs().toDoubleMatrix();
            double[][] mean = new double[K][2];
            int[] count = new int[K];
            for (int i = 0; i < x.length; i++) {
                int c = data.labels()[i];
                mean[c][0] += x[i][0];
                mean[c][1] += x[i][1];
                count[c]++;
            }
            SplittableRandom random = new SplittableRandom(data.seed());
            boolean[] present = new boolean[K];
            for (int c = 0; c < K; c++) {
                present[c] = count[c] > 0;
                for (int j = 0; j < 2; j++) {
                    mean[c][j] = (count[c] == 0 ? 0 : mean[c][j] / count[c]) + 0.05 * TestModels.gaussian(random);
                }
            }
            return new MeanModel(mean, present);
        }

        @Override
        public String toString() {
            return "NearestMean(jitter=0.05)";
        }
    }

    /** Softmax of minus the squared distance to each class mean; classes without labels get probability 0. */
    static final class MeanModel implements Model {
        private final double[][] mean;
        private final boolean[] present;

        MeanModel(double[][] mean, boolean[] present) {
            this.mean = mean;
            this.present = present;
        }

        @Override
        public int numClasses() {
            return K;
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            double[][] x = pool.requireInputs("MeanModel").rows(ids).toDoubleMatrix();
            double[][] p = new double[ids.length][K];
            for (int i = 0; i < ids.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                double[] z = new double[K];
                for (int c = 0; c < K; c++) {
                    double dx = x[i][0] - mean[c][0];
                    double dy = x[i][1] - mean[c][1];
                    z[c] = present[c] ? -(dx * dx + dy * dy) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < K; c++) {
                    p[i][c] = present[c] ? Math.exp(z[c] - max) : 0;
                    sum += p[i][c];
                }
                for (int c = 0; c < K; c++) {
                    p[i][c] /= sum;
                }
            }
            return Nd4j.create(p);
        }
    }

    /**
     * Pseudo-labels the eligible ids whose top probability is at least {@code minTop} with their top class (ties to
     * the lower class): a deterministic stand-in for CEAL, which lives in al-strategies.
     */
    public static final class ConfidentLabeler implements PseudoLabeler {
        private final Hooks hooks;
        private final double minTop;

        public ConfidentLabeler(Hooks hooks, double minTop) {
            this.hooks = hooks;
            this.minTop = minTop;
        }

        @Override
        public Labels label(int round, int[] ids, INDArray probabilities) {
            hooks.pseudoLabels(ids.length);
            double[][] p = probabilities.toDoubleMatrix();
            List<Integer> picked = new ArrayList<>();
            List<Integer> classes = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                int best = 0;
                for (int c = 1; c < p[i].length; c++) {
                    if (p[i][c] > p[i][best]) {
                        best = c;
                    }
                }
                if (p[i][best] >= minTop) {
                    picked.add(ids[i]);
                    classes.add(best);
                }
            }
            return Labels.of(picked.stream().mapToInt(Integer::intValue).toArray(),
                    classes.stream().mapToInt(Integer::intValue).toArray());
        }

        @Override
        public String toString() {
            return "ConfidentLabeler(minTop=" + minTop + ")";
        }
    }

    /** Least confidence: lowest top probability first, ties toward the lower id. */
    public static final class LeastConfidence implements QueryStrategy {
        private final Hooks hooks;

        public LeastConfidence(Hooks hooks) {
            this.hooks = hooks;
        }

        @Override
        public Selection select(Pool pool, Model model, int budget) {
            int[] candidates = pool.candidates();
            hooks.query(candidates.length);
            double[][] p = model.probabilities(pool, candidates).toDoubleMatrix();
            List<int[]> order = new ArrayList<>();
            double[] top = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                top[i] = Arrays.stream(p[i]).max().orElse(0);
                order.add(new int[] {i});
            }
            order.sort((a, b) -> top[a[0]] != top[b[0]] ? Double.compare(top[a[0]], top[b[0]])
                    : Integer.compare(candidates[a[0]], candidates[b[0]]));
            int n = Math.min(budget, candidates.length);
            int[] ids = new int[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                ids[i] = candidates[order.get(i)[0]];
                scores[i] = 1 - top[order.get(i)[0]];
            }
            return Selection.of(ids, scores, 0);
        }

        @Override
        public String toString() {
            return "LeastConfidence()";
        }
    }

    /** Fraction of rows whose top class is the true class. */
    static final class Accuracy implements Metric {
        @Override
        public String name() {
            return "accuracy";
        }

        @Override
        public double evaluate(INDArray probabilities, int[] labels) {
            double[][] p = probabilities.toDoubleMatrix();
            int right = 0;
            for (int i = 0; i < p.length; i++) {
                int best = 0;
                for (int c = 1; c < K; c++) {
                    if (p[i][c] > p[i][best]) {
                        best = c;
                    }
                }
                right += best == labels[i] ? 1 : 0;
            }
            return (double) right / p.length;
        }
    }

    /** Mean probability of the true class. */
    static final class MeanTrueProbability implements Metric {
        @Override
        public String name() {
            return "meanTrueProbability";
        }

        @Override
        public double evaluate(INDArray probabilities, int[] labels) {
            double[][] p = probabilities.toDoubleMatrix();
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                sum += p[i][labels[i]];
            }
            return sum / p.length;
        }
    }

    static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"))
                .toLowerCase(Locale.ROOT);
    }
}
