package dev.al4j.strategies;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.RowArrays;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.Selection;
import dev.al4j.strategies.internal.QueryOutputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Feature-similarity selection, the query of supervised contrastive active learning (SCAL): Krishnan, Sinha, Ahuja,
 * Subedar, Tickoo and Iyer, "Mitigating Sampling Bias and Improving Robustness in Active Learning", 2021, eq. 2
 * (seed 000 in {@code shared/seeds/}; {@code al4j run --strategies scal} runs it on the supervised contrastive
 * learner, as the paper does, and {@code feature-sim} on the run's cross-entropy network).
 *
 * <p>Each candidate {@code x} with predicted class {@code c = argmax p(x)} gets the score
 * {@code s(x) = max over labeled x' of class c of cos(z(x), z(x'))}, where {@code z} are the model's penultimate
 * features and {@code c} ranges over the labels the pool already has. The query picks, in every predicted class,
 * the candidates <em>least</em> similar to what is labeled in that class, {@code b / K} per class, so that the
 * acquired labels stay spread over the classes (the paper's remedy for sampling bias). SCAL is this selection on a
 * model trained with the supervised contrastive loss (al-dl4j provides that training); on any other
 * {@link EmbeddingModel} it is the paper's feature-similarity baseline.
 *
 * <p><b>Budget split</b> (the paper only says {@code b / K} per class). Each predicted class {@code c} has
 * {@code n_c} candidates. Quotas are filled like water: every class with candidates left gets an equal share
 * {@code floor(remaining / active)}, capped at what it has; a class that runs out leaves its unused share to the
 * others, and the sharing repeats until the budget is spent or no candidates are left. When fewer picks remain than
 * classes still active, the last picks go one each to the active classes whose next-in-line candidate has the lowest
 * score (ties toward the lower id), not to fixed class ids, so no class is favoured by its number. As a result, any
 * two classes' quotas differ by at most one unless the smaller one has run out of candidates.
 *
 * <p><b>Classes without labeled samples</b> have nothing to be similar to: their candidates score {@code -1}, the
 * lowest cosine, and are picked first within their class's quota. With no labels at all, every candidate scores
 * {@code -1} and the query reduces to a balanced split over predicted classes, lowest ids first. A zero feature
 * vector has cosine 0 with everything (norms are floored at {@code 1e-12}).
 *
 * <p><b>Precision</b>: the features are read as float32 (a {@code DOUBLE} array is rounded to nearest, as
 * {@code castTo(DataType.FLOAT)} rounds it); the labeled rows are normalised in double, the dot products and the
 * candidates' squared norms are summed in float, their quotient is taken in double. Equal candidate rows get equal
 * scores, whatever their position, chunk or thread.
 *
 * <p><b>Pick order</b>: round-robin over classes: first every class's least similar candidate, then every class's
 * second, and so on; within one round lower scores first, ties toward the lower id. Any prefix of the selection is
 * therefore balanced too. {@link Selection#scores()} holds each pick's similarity {@code s(x)}: lower was picked
 * first.
 *
 * <p><b>Cost</b>: one forward pass over the {@code L} labeled samples and the {@code N} candidates (a
 * {@code PrecomputedModel} hands its rows over as Java arrays, with no ND4J op), read in chunks of 8 192 candidates;
 * norms O((N + L) d); then, per chunk and predicted class, the candidates' dot products with the normalised labeled
 * features of that class as a blocked matrix product in plain Java (tiles of 512 candidates, column-major, that
 * HotSpot vectorises; on every processor once a chunk has more than 4 M multiply-adds), summed in float:
 * O(sum over c of N_c L_c d) = O(N L d / K) for balanced classes, O(N L d) at worst; the split and the order
 * O(N log N). Memory: O(L d) for the labeled features, one chunk's features (16 MB at d = 512) and one 512-row tile
 * per thread, and O(N) for the scores, whatever N is. Immutable and thread-safe.
 *
 * <pre>{@code
 * QueryStrategy scal = Strategies.featureSimilarity();
 * Selection next = scal.select(pool, supConModel, 1000);
 * int[] ids = next.ids();
 * }</pre>
 */
public final class FeatureSimilaritySampling implements QueryStrategy {

    /** The score of a candidate whose predicted class has no labeled sample: the lowest cosine. */
    public static final double NO_LABELED_SAMPLE_SCORE = -1.0;

    private static final double NORM_FLOOR = 1e-12;

    FeatureSimilaritySampling() {}

    @Override
    public Selection select(Pool pool, Model model, int budget) {
        return QueryOutputs.select(pool, model, budget, EmbeddingModel.class, this,
                (m, candidates, start) -> select(pool, m, budget, candidates, start));
    }

    private Selection select(Pool pool, EmbeddingModel m, int budget, int[] candidates, long start) {
        int k = pool.numClasses();
        FeatureRows rows = FeatureRows.labeled(pool, m);
        Scorer scorer = new Scorer(rows.labeled, rows.labels, k, rows.dimension,
                Runtime.getRuntime().availableProcessors());
        int[] predicted = new int[candidates.length];
        double[] similarity = new double[candidates.length];
        if (candidates.length > FeatureRows.CHUNK && m instanceof RowArrays) {
            // Several chunks: the depths need every candidate's class first. A RowArrays model hands its
            // probabilities over without a forward pass (N·K values); any other model is not run twice for them.
            int[] classes = FeatureRows.argMaxRows(
                    QueryOutputs.probabilities(pool, m, candidates, QueryOutputs.PROBABILITIES), k);
            scorer.prune(depths(classCounts(classes, k), budget));
        }
        rows.forEachChunk(pool, m, candidates, (from, count, classes, x) -> {
            System.arraycopy(classes, 0, predicted, from, count);
            if (count == candidates.length) { // one chunk: its classes are all the classes
                scorer.prune(depths(classCounts(classes, k), budget));
            }
            scorer.score(x, classes, similarity, from);
        });
        int[] order = balancedLeastSimilar(similarity, candidates, predicted, k, budget);
        return Selection.atPositions(order, candidates, similarity, start);
    }

    /**
     * Eq. 2 for every candidate: the largest cosine similarity between its features and those of the labeled
     * samples of its predicted class, or {@link #NO_LABELED_SAMPLE_SCORE} when that class has none.
     *
     * @param candidates row-major {@code [n, d]} candidate features
     * @param predicted the predicted class of each candidate
     * @param labeled row-major {@code [L, d]} labeled features
     * @param labels the label of each labeled row
     * @param threads the most threads to use
     */
    static double[] maxSameClassCosine(float[] candidates, int[] predicted, float[] labeled, int[] labels, int k,
            int d, int threads) {
        double[] out = new double[predicted.length];
        new Scorer(labeled, labels, k, d, threads).score(candidates, predicted, out, 0);
        return out;
    }

    /**
     * Eq. 2 against one labeled set. {@code max_j cos(z, l_j) = max_j (z · l_j/‖l_j‖) / ‖z‖}: the labeled rows are
     * normalised once (in double, rounded to float), each candidate's largest dot product with its class's normalised
     * rows is one blocked pass ({@link ClassTiles#maxDots}, summed in float), and the maximum is divided by the
     * candidate's norm afterwards, which saves normalising the {@code N × d} candidates. Norms are floored at
     * {@code 1e-12}. Tested against the pairwise definition in double ({@code FeatureSimilaritySamplingTest}).
     *
     * <p><b>Exact pruning</b> ({@link #prune}): the selection reads, in each predicted class {@code c}, only the
     * {@code D_c} lowest scores (its quota and the next in line, {@link #depths}). A maximum over part of the labeled
     * rows is a lower bound of the score, and continuing it over the remaining rows ends with the full pass's bits
     * ({@link ClassTiles#maxDots(float[][], int, float[], int, int, int, float[], float[])}). So each chunk first takes
     * the maximum over the first eighth of the class's labeled rows for every candidate, completes the {@code D_c}
     * candidates with the smallest such bound, and keeps the {@code D_c} smallest exact scores seen so far per class
     * (a bounded max-heap, threshold {@code T_c} its largest); every other candidate continues over the next quarter,
     * half and the rest of the labeled rows, and stops as soon as its bound exceeds {@code T_c}, keeping that bound as
     * its score. A stopped candidate scores more than {@code D_c} exact scores of its class, so it is not among the
     * {@code D_c} lowest, and its bound, also above {@code T_c}, leaves the order of those unchanged: the selection and
     * every picked score are exactly the unpruned ones ({@code FeatureSimilaritySamplingTest}: pruned and unpruned
     * queries on random and adversarial inputs). On the SCAL setting about half of the products are skipped.
     */
    static final class Scorer {
        private final int k;
        private final int d;
        private final float[][] units; // per class: row-major [L_c, d] normalised labeled features (length 0: none)
        private final int[] counts; // L_c
        private final Scratch[] scratch;
        private Lowest[] lowest; // per class: the smallest exact scores seen (null: no pruning)

        Scorer(float[] labeled, int[] labels, int k, int d, int threads) {
            this.k = k;
            this.d = d;
            this.counts = new int[k];
            for (int c : labels) {
                counts[c]++;
            }
            this.units = new float[k][];
            int[] fill = new int[k];
            for (int c = 0; c < k; c++) {
                units[c] = new float[counts[c] * d];
            }
            for (int j = 0; j < labels.length; j++) {
                int c = labels[j];
                double sum = 0;
                for (int q = j * d, end = q + d; q < end; q++) {
                    sum += (double) labeled[q] * labeled[q];
                }
                double norm = Math.max(Math.sqrt(sum), NORM_FLOOR);
                float[] u = units[c];
                for (int q = 0, at = fill[c] * d, from = j * d; q < d; q++) {
                    u[at + q] = (float) (labeled[from + q] / norm);
                }
                fill[c]++;
            }
            this.scratch = new Scratch[Math.max(1, threads)];
        }

        /**
         * From now on, only the {@code depth[c]} lowest scores of each class need be exact (class javadoc); every
         * other score may be any lower bound of its exact value above those. Call once, before the first chunk.
         */
        void prune(int[] depth) {
            lowest = new Lowest[k];
            for (int c = 0; c < k; c++) {
                lowest[c] = new Lowest(depth[c]);
            }
        }

        /** Scores the {@code predicted.length} row-major rows of {@code x} into {@code out[offset..]}. */
        void score(float[] x, int[] predicted, double[] out, int offset) {
            if (lowest != null) {
                scorePruned(x, predicted, out, offset);
                return;
            }
            List<ClassTiles.Unit> work = new ArrayList<>();
            long products = 0;
            for (ClassTiles.Unit u : ClassTiles.units(predicted, k, ClassTiles.FLOAT_TILE)) {
                if (counts[u.cls()] == 0) {
                    for (int i = u.from(); i < u.to(); i++) {
                        out[offset + u.rows()[i]] = NO_LABELED_SAMPLE_SCORE;
                    }
                } else {
                    work.add(u);
                    products += (long) u.width() * counts[u.cls()] * d;
                }
            }
            ClassTiles.run(work, products, scratch, g -> new Scratch(d), (u, s) -> {
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                ClassTiles.squaredNorms(s.columns, w, d, s.norms);
                ClassTiles.maxDots(s.columns, w, units[u.cls()], counts[u.cls()], d, s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    out[offset + u.rows()[u.from() + r]] = cosine(s.best[r], s.norms[r]);
                }
            });
        }

        /** {@link #score} with the pruning of the class javadoc. */
        private void scorePruned(float[] x, int[] predicted, double[] out, int offset) {
            int n = predicted.length;
            int[][] byClass = LabeledAndCandidates.groupByClass(predicted, k);
            float[] norms = new float[n];
            float[] best = new float[n]; // the maximum so far over the class's labeled rows
            // Stage 1: every candidate against the first eighth of its class's labeled rows.
            List<ClassTiles.Unit> all = new ArrayList<>();
            long products = 0;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    for (int i : byClass[c]) {
                        out[offset + i] = NO_LABELED_SAMPLE_SCORE;
                    }
                    continue;
                }
                addUnits(all, c, byClass[c], byClass[c].length);
                products += (long) byClass[c].length * stageEnd(counts[c], 0) * d;
            }
            ClassTiles.run(all, products, scratch, g -> new Scratch(d), (u, s) -> {
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                ClassTiles.squaredNorms(s.columns, w, d, s.norms);
                Arrays.fill(s.best, 0, w, Float.NEGATIVE_INFINITY);
                ClassTiles.maxDots(s.columns, w, units[u.cls()], 0, stageEnd(counts[u.cls()], 0), d, s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    int i = u.rows()[u.from() + r];
                    norms[i] = s.norms[r];
                    best[i] = s.best[r];
                }
            });
            // Stage 2: per class, the D_c candidates with the smallest bounds, completed; they set T_c.
            List<ClassTiles.Unit> first = new ArrayList<>();
            boolean[] exact = new boolean[n];
            products = 0;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0 || byClass[c].length == 0) {
                    continue;
                }
                int[] sorted = Arrays.stream(byClass[c]).boxed()
                        .sorted(Comparator.comparingDouble(i -> cosine(best[i], norms[i])))
                        .mapToInt(Integer::intValue).toArray();
                int take = Math.min(lowest[c].capacity, sorted.length);
                for (int j = 0; j < take; j++) {
                    exact[sorted[j]] = true;
                }
                addUnits(first, c, sorted, take);
                products += (long) take * (counts[c] - stageEnd(counts[c], 0)) * d;
            }
            ClassTiles.run(first, products, scratch, g -> new Scratch(d), (u, s) -> {
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                for (int r = 0; r < w; r++) {
                    s.best[r] = best[u.rows()[u.from() + r]];
                }
                ClassTiles.maxDots(s.columns, w, units[u.cls()], stageEnd(counts[u.cls()], 0), counts[u.cls()], d,
                        s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    int i = u.rows()[u.from() + r];
                    best[i] = s.best[r];
                    out[offset + i] = cosine(best[i], norms[i]);
                }
            });
            for (ClassTiles.Unit u : first) {
                for (int j = u.from(); j < u.to(); j++) {
                    lowest[u.cls()].offer(out[offset + u.rows()[j]]);
                }
            }
            // Stage 3: every other candidate whose bound is not above T_c, over the next quarter, half and the rest,
            // stopping once its bound exceeds T_c (that bound is then its score).
            List<ClassTiles.Unit> rest = new ArrayList<>();
            products = 0;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    continue;
                }
                double threshold = lowest[c].threshold();
                int[] open = new int[byClass[c].length];
                int size = 0;
                for (int i : byClass[c]) {
                    if (exact[i]) {
                        continue;
                    }
                    double bound = cosine(best[i], norms[i]);
                    if (bound > threshold) {
                        out[offset + i] = bound;
                    } else {
                        open[size++] = i;
                    }
                }
                addUnits(rest, c, open, size);
                products += (long) size * (counts[c] - stageEnd(counts[c], 0)) * d;
            }
            ClassTiles.run(rest, products, scratch, g -> new Scratch(d), (u, s) -> {
                int c = u.cls();
                double threshold = lowest[c].threshold();
                int[] alive = Arrays.copyOfRange(u.rows(), u.from(), u.to());
                int size = alive.length;
                for (int stage = 1; size > 0; stage++) {
                    int from = stageEnd(counts[c], stage - 1);
                    int to = stageEnd(counts[c], stage);
                    ClassTiles.gather(x, d, new ClassTiles.Unit(c, alive, 0, size), s.columns);
                    for (int r = 0; r < size; r++) {
                        s.best[r] = best[alive[r]];
                    }
                    ClassTiles.maxDots(s.columns, size, units[c], from, to, d, s.best, s.acc);
                    boolean last = to == counts[c];
                    int kept = 0;
                    for (int r = 0; r < size; r++) {
                        int i = alive[r];
                        best[i] = s.best[r];
                        double bound = cosine(best[i], norms[i]);
                        if (last || bound > threshold) {
                            out[offset + i] = bound; // exact after the last stage, else a bound above T_c
                            exact[i] = last;
                        } else {
                            alive[kept++] = i;
                        }
                    }
                    size = last ? 0 : kept;
                }
            });
            for (ClassTiles.Unit u : rest) {
                for (int j = u.from(); j < u.to(); j++) {
                    int i = u.rows()[j];
                    if (exact[i]) {
                        lowest[u.cls()].offer(out[offset + i]);
                    }
                }
            }
        }

        /** Units of at most a tile over the first {@code size} chunk positions of {@code rows}, all of class c. */
        private static void addUnits(List<ClassTiles.Unit> out, int c, int[] rows, int size) {
            for (int from = 0; from < size; from += ClassTiles.FLOAT_TILE) {
                out.add(new ClassTiles.Unit(c, rows, from, Math.min(size, from + ClassTiles.FLOAT_TILE)));
            }
        }
    }

    /**
     * The end of pruning stage {@code s} over a class's {@code m} labeled rows: an eighth, a quarter, a half, all
     * (rounded up; all at once below 16 rows, where stopping early saves too little).
     */
    static int stageEnd(int m, int s) {
        if (m < 16 || s >= 3) {
            return m;
        }
        int parts = 8 >> s; // 8, 4, 2
        return (m + parts - 1) / parts;
    }

    /** A candidate's score from its largest dot product and its squared norm (both summed in float). */
    static double cosine(float best, float squaredNorm) {
        return best / Math.max(Math.sqrt(squaredNorm), NORM_FLOOR);
    }

    /** The {@code capacity} smallest values offered so far: a bounded max-heap. */
    static final class Lowest {
        final int capacity;
        private final double[] heap;
        private int size;

        Lowest(int capacity) {
            this.capacity = capacity;
            this.heap = new double[capacity];
        }

        void offer(double v) {
            if (size < capacity) {
                int i = size++;
                while (i > 0 && heap[(i - 1) / 2] < v) {
                    heap[i] = heap[(i - 1) / 2];
                    i = (i - 1) / 2;
                }
                heap[i] = v;
            } else if (capacity > 0 && v < heap[0]) {
                int i = 0;
                while (true) {
                    int child = 2 * i + 1;
                    if (child >= size) {
                        break;
                    }
                    if (child + 1 < size && heap[child + 1] > heap[child]) {
                        child++;
                    }
                    if (!(heap[child] > v)) {
                        break;
                    }
                    heap[i] = heap[child];
                    i = child;
                }
                heap[i] = v;
            }
        }

        /**
         * Once {@code capacity} values were offered, the largest of the smallest {@code capacity}: at least that many
         * candidates score at most this. {@code +∞} before; {@code −∞} for a capacity of 0 (nothing is needed).
         */
        double threshold() {
            if (capacity == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            return size < capacity ? Double.POSITIVE_INFINITY : heap[0];
        }
    }

    /** One worker's buffers: a float tile and three tile-wide rows. */
    private static final class Scratch {
        final float[][] columns;
        final float[] norms = new float[ClassTiles.FLOAT_TILE];
        final float[] best = new float[ClassTiles.FLOAT_TILE];
        final float[] acc = new float[ClassTiles.FLOAT_TILE];

        Scratch(int d) {
            columns = new float[d][ClassTiles.FLOAT_TILE];
        }
    }

    /** The number of candidates predicted as each class. */
    static int[] classCounts(int[] predicted, int k) {
        int[] counts = new int[k];
        for (int c : predicted) {
            counts[c]++;
        }
        return counts;
    }

    /**
     * The quotas the budget split gives before its last step ({@code share == 0}, where the remaining picks go one
     * each to the classes whose next-in-line candidate scores lowest): they depend on the class sizes only.
     *
     * @return {@code [k + 1]}: the quotas, then the picks still to give in the last step
     */
    static int[] quotasBeforeLastStep(int[] counts, int budget) {
        int k = counts.length;
        int[] quota = new int[k + 1];
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        int remaining = (int) Math.min(budget, total);
        while (remaining > 0) {
            int active = 0;
            for (int c = 0; c < k; c++) {
                if (quota[c] < counts[c]) {
                    active++;
                }
            }
            int share = remaining / active; // active >= 1 since remaining <= candidates left
            if (share == 0) {
                break;
            }
            for (int c = 0; c < k; c++) {
                int add = Math.min(share, counts[c] - quota[c]);
                quota[c] += add;
                remaining -= add;
            }
        }
        quota[k] = remaining;
        return quota;
    }

    /**
     * How many of each class's lowest scores the selection reads: its quota before the last step and the next in
     * line, at most the class's size ({@link #balancedLeastSimilar} reads no deeper).
     */
    static int[] depths(int[] counts, int budget) {
        int[] quota = quotasBeforeLastStep(counts, budget);
        int[] out = new int[counts.length];
        for (int c = 0; c < counts.length; c++) {
            out[c] = Math.min(counts[c], quota[c] + 1);
        }
        return out;
    }

    /**
     * The balanced least-similar selection described in the class javadoc.
     *
     * @param similarity one score per candidate position
     * @param ids the pool id of each position (for ties)
     * @param predicted the predicted class of each position
     * @return the chosen positions in pick order
     */
    static int[] balancedLeastSimilar(double[] similarity, int[] ids, int[] predicted, int k, int budget) {
        int n = similarity.length;
        Comparator<Integer> bySimilarityThenId = Comparator.<Integer>comparingDouble(i -> similarity[i])
                .thenComparingInt(i -> ids[i]);
        int[][] byClass = LabeledAndCandidates.groupByClass(predicted, k);
        List<int[]> sortedByClass = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            sortedByClass.add(Arrays.stream(byClass[c]).boxed().sorted(bySimilarityThenId)
                    .mapToInt(Integer::intValue).toArray());
        }
        int[] byClassCounts = new int[k];
        for (int c = 0; c < k; c++) {
            byClassCounts[c] = byClass[c].length;
        }
        int[] quota = quotasBeforeLastStep(byClassCounts, budget);
        int remaining = quota[k];
        if (remaining > 0) {
            // Fewer picks left than active classes: one each to the classes whose next candidate scores lowest.
            List<Integer> next = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (quota[c] < byClass[c].length) {
                    next.add(sortedByClass.get(c)[quota[c]]);
                }
            }
            next.sort(bySimilarityThenId);
            for (int j = 0; j < remaining; j++) {
                quota[predicted[next.get(j)]]++;
            }
        }
        // Round-robin pick order: rank within class first, then score, then id.
        int total = 0;
        for (int c = 0; c < k; c++) {
            total += quota[c];
        }
        Integer[] picked = new Integer[total];
        int[] rank = new int[n];
        int j = 0;
        for (int c = 0; c < k; c++) {
            int[] sorted = sortedByClass.get(c);
            for (int r = 0; r < quota[c]; r++) {
                picked[j++] = sorted[r];
                rank[sorted[r]] = r;
            }
        }
        Arrays.sort(picked, Comparator.<Integer>comparingInt(i -> rank[i]).thenComparing(bySimilarityThenId));
        return Arrays.stream(picked).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSimilaritySampling;
    }

    @Override
    public int hashCode() {
        return FeatureSimilaritySampling.class.hashCode();
    }

    @Override
    public String toString() {
        return "Strategies.featureSimilarity()";
    }
}
