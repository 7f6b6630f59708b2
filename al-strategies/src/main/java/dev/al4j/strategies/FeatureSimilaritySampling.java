package dev.al4j.strategies;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
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
 * HotSpot vectorises, or {@link MaxDotsSimd}'s register-blocked vectors where the Vector API is on, the same bits;
 * on every processor once a chunk has more than 4 M multiply-adds), summed in float:
 * O(sum over c of N_c L_c d) = O(N L d / K) for balanced classes, O(N L d) at worst; the split and the order
 * O(N log N). Once the candidates read so far outnumber the budget, a screen skips most of those products without
 * changing any pick or score of a pick ({@link Screen}): each row's largest product over the first 16 labeled rows of
 * its class bounds its score from below, and a row whose bound exceeds what its class can still pick is not finished
 * (a numpy model of the screen on the SCAL setting's first chunk: 61 % of the products skipped). Memory: O(L d) for
 * the labeled features, one chunk's features (16 MB at d = 512), one 512-row tile and 32 accumulator rows per thread,
 * O(N) for the scores and O(one chunk) for the screen's bounds, whatever N is. Immutable and thread-safe.
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
        Screen screen = new Screen(k, budget);
        rows.forEachChunk(pool, m, candidates, (from, count, classes, x) -> {
            System.arraycopy(classes, 0, predicted, from, count);
            screen.see(classes);
            scorer.score(x, classes, similarity, from, screen);
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
     */
    static final class Scorer {
        private final int k;
        private final int d;
        private final float[][] units; // per class: row-major [L_c, d] normalised labeled features (length 0: none)
        private final int[] counts; // L_c
        private final Scratch[] scratch;

        /**
         * Labeled rows of the screen's first pass. Fewer give looser bounds, more cost more for every row: on the SCAL
         * setting's first chunk (about 100 labeled rows per class), 16 leave 39 % of the products to do, 8 leave 53 %,
         * 24 leave 43 %, 32 leave 49 % (a numpy model of the screen, twice the missing rows first).
         */
        static final int SCREEN_ROWS = 16;

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
            double[] sums = squaredNorms(labeled, labels.length, d);
            for (int j = 0; j < labels.length; j++) {
                int c = labels[j];
                double norm = Math.max(Math.sqrt(sums[j]), NORM_FLOOR);
                divide(labeled, j * d, norm, units[c], fill[c] * d, d);
                fill[c]++;
            }
            this.scratch = new Scratch[Math.max(1, threads)];
        }

        /**
         * {@code out[at + q] = (float) (x[from + q] / norm)} for {@code q < d}, bit for bit, mostly without a division:
         * {@code p = x·(1/norm)} in double is within 3 ulps of the quotient {@code x/norm} rounded to double (each of
         * the two roundings adds at most half an ulp of relative error, and a double's relative ulp varies by at most
         * 2 within a binade), so {@code p} rounds to the same float as that quotient unless a float rounding boundary
         * lies within those ulps: the midpoint between two normal floats (whose last 29 bits of a double are
         * {@code 0x10000000}), or the subnormal or overflow range. Such values, and only they, are divided. A double
         * division costs about ten multiplications' time here, and the labeled rows are normalised at every query
         * (1 000 × 512 on the SCAL setting: 3.7 ms of serial work before, measured).
         */
        static void divide(float[] x, int from, double norm, float[] out, int at, int d) {
            double inverse = 1 / norm;
            for (int q = 0; q < d; q++) {
                double v = x[from + q];
                double p = v * inverse;
                long low = Double.doubleToRawLongBits(p) & 0x1fffffffL;
                double magnitude = Math.abs(p);
                boolean doubtful = Math.abs(low - 0x10000000L) <= 8 || magnitude > 0x1p127
                        || (magnitude < 0x1p-125 && magnitude != 0) || p != p;
                out[at + q] = (float) (doubtful ? v / norm : p);
            }
        }

        /**
         * {@code Σ_q x[j][q]²} in double for each of the {@code n} rows of the row-major {@code [n, d]} {@code x}, summed
         * feature by feature in order; four rows at a time, so that four independent chains of additions overlap (the
         * same bits as one row at a time: each row's sum is the same sequence of operations).
         */
        static double[] squaredNorms(float[] x, int n, int d) {
            double[] out = new double[n];
            int j = 0;
            for (; j + 3 < n; j += 4) {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int q = 0, a0 = j * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d; q < d; q++) {
                    double x0 = x[a0 + q], x1 = x[a1 + q], x2 = x[a2 + q], x3 = x[a3 + q];
                    s0 += x0 * x0;
                    s1 += x1 * x1;
                    s2 += x2 * x2;
                    s3 += x3 * x3;
                }
                out[j] = s0;
                out[j + 1] = s1;
                out[j + 2] = s2;
                out[j + 3] = s3;
            }
            for (; j < n; j++) {
                double sum = 0;
                for (int q = j * d, end = q + d; q < end; q++) {
                    sum += (double) x[q] * x[q];
                }
                out[j] = sum;
            }
            return out;
        }

        /** Scores the {@code predicted.length} row-major rows of {@code x} into {@code out[offset..]}. */
        void score(float[] x, int[] predicted, double[] out, int offset) {
            score(x, predicted, out, offset, null);
        }

        /**
         * Scores the {@code predicted.length} row-major rows of {@code x} into {@code out[offset..]}; with a
         * {@code screen}, a row that cannot be picked may get a lower bound of its score instead (see {@link Screen}).
         * One parallel pass: a screened class is one job (its steps depend on each other), the other classes' tiles
         * are one job each, the screened classes first (the largest jobs).
         */
        void score(float[] x, int[] predicted, double[] out, int offset, Screen screen) {
            List<ClassTiles.Unit> jobs = new ArrayList<>();
            List<ClassTiles.Unit> tiles = new ArrayList<>();
            long products = 0;
            boolean[] screened = new boolean[k];
            int[][] byClass = LabeledAndCandidates.groupByClass(predicted, k);
            for (int c = 0; c < k; c++) {
                screened[c] = screen != null && counts[c] > SCREEN_ROWS && screen.maxPicks(c) < Integer.MAX_VALUE
                        && byClass[c].length > 0;
                if (screened[c]) {
                    jobs.add(new ClassTiles.Unit(c, byClass[c], 0, byClass[c].length));
                    products += (long) byClass[c].length * counts[c] * d / 2; // about half, by the SCAL figures
                }
            }
            for (ClassTiles.Unit u : ClassTiles.units(predicted, k, ClassTiles.FLOAT_TILE)) {
                if (counts[u.cls()] == 0) {
                    for (int i = u.from(); i < u.to(); i++) {
                        out[offset + u.rows()[i]] = NO_LABELED_SAMPLE_SCORE;
                    }
                } else if (!screened[u.cls()]) {
                    tiles.add(u);
                    products += (long) u.width() * counts[u.cls()] * d;
                }
            }
            jobs.addAll(tiles);
            ClassTiles.run(jobs, products, scratch, g -> new Scratch(d), (u, s) -> {
                if (screened[u.cls()]) {
                    screenClass(x, u.cls(), u.rows(), out, offset, screen, s);
                    return;
                }
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                ClassTiles.squaredNorms(s.columns, w, d, s.norms);
                ClassTiles.maxDots(s.columns, w, units[u.cls()], counts[u.cls()], d, s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    out[offset + u.rows()[u.from() + r]] = s.best[r] / Math.max(Math.sqrt(s.norms[r]), NORM_FLOOR);
                }
            });
        }

        /**
         * The rows (chunk positions) of one screened class: the largest dot product over the class's first
         * {@link #SCREEN_ROWS} labeled rows (a lower bound of the score: a maximum over fewer rows, divided by the same
         * norm); then the rest of the products for the rows with the lowest bounds, twice as many as the class still
         * needs for its threshold; then for every other row whose bound does not exceed the threshold. The remaining
         * rows keep their bound. Only this class's part of {@code screen} is read or written.
         */
        private void screenClass(float[] x, int c, int[] rows, double[] out, int offset, Screen screen, Scratch s) {
            int n = rows.length;
            float[] partial = new float[n];
            double[] norm = new double[n];
            double[] bound = new double[n];
            int[] local = java.util.stream.IntStream.range(0, n).toArray();
            for (int from = 0; from < n; from += ClassTiles.FLOAT_TILE) {
                ClassTiles.Unit u = new ClassTiles.Unit(c, rows, from, Math.min(n, from + ClassTiles.FLOAT_TILE));
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                ClassTiles.squaredNorms(s.columns, w, d, s.norms);
                ClassTiles.maxDots(s.columns, w, units[c], 0, SCREEN_ROWS, d, s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    partial[from + r] = s.best[r];
                    norm[from + r] = Math.max(Math.sqrt(s.norms[r]), NORM_FLOOR);
                    bound[from + r] = s.best[r] / norm[from + r];
                }
            }
            // Twice what is missing: the threshold is then the missing-th lowest of more exact scores, lower than the
            // highest of just enough of them (a numpy model of the screen on the SCAL setting's first chunk: 39 % of
            // the products left with twice, 41 % with 1.5 times).
            int need = (int) Math.min(Integer.MAX_VALUE, 2L * screen.missing(c));
            int[] first;
            int[] rest;
            if (need >= n) {
                first = local;
                rest = new int[0];
            } else if (need == 0) {
                first = new int[0];
                rest = local;
            } else {
                double[] sorted = bound.clone();
                Arrays.sort(sorted);
                double cut = sorted[need - 1];
                first = Arrays.stream(local).filter(i -> bound[i] <= cut).toArray();
                rest = Arrays.stream(local).filter(i -> !(bound[i] <= cut)).toArray();
            }
            complete(x, c, rows, first, partial, norm, out, offset, screen, s);
            double threshold = screen.threshold(c);
            int[] kept = Arrays.stream(rest).filter(i -> bound[i] <= threshold).toArray();
            for (int i : rest) {
                if (!(bound[i] <= threshold)) {
                    out[offset + rows[i]] = bound[i]; // above the threshold: never picked
                }
            }
            complete(x, c, rows, kept, partial, norm, out, offset, screen, s);
        }

        /** The products after the first {@link #SCREEN_ROWS} for {@code rows[which[..]]}: exact scores, recorded. */
        private void complete(float[] x, int c, int[] rows, int[] which, float[] partial, double[] norm, double[] out,
                int offset, Screen screen, Scratch s) {
            int[] positions = new int[which.length];
            for (int i = 0; i < which.length; i++) {
                positions[i] = rows[which[i]];
            }
            for (int from = 0; from < which.length; from += ClassTiles.FLOAT_TILE) {
                ClassTiles.Unit u = new ClassTiles.Unit(c, positions, from,
                        Math.min(which.length, from + ClassTiles.FLOAT_TILE));
                int w = u.width();
                ClassTiles.gather(x, d, u, s.columns);
                ClassTiles.maxDots(s.columns, w, units[c], SCREEN_ROWS, counts[c], d, s.best, s.acc);
                for (int r = 0; r < w; r++) {
                    int i = which[from + r];
                    // The maximum over all labeled rows is the larger of the two parts' maxima (max is exact): the
                    // bits of one full pass.
                    double score = Math.max(partial[i], s.best[r]) / norm[i];
                    out[offset + rows[i]] = score;
                    screen.record(c, score);
                }
            }
        }
    }

    /**
     * What the balanced split can still pick, per predicted class, while the chunks are read: rows whose score
     * certainly exceeds that of as many other rows of their class as the class can be given picks are never picked,
     * so their products need not be finished.
     *
     * <p>The split gives every class {@code min(n_c, λ)} or {@code λ + 1} picks, where {@code λ} is the largest integer
     * with {@code Σ_c min(n_c, λ) <= b}: the water-filling keeps the quotas of the classes with candidates left equal
     * until its last step adds one to some of them, and a class with {@code λ + 2} picks would make
     * {@code Σ_c min(n_c, λ + 1) <= b}; the last step's next-in-line candidates have rank at most {@code λ}. Counted
     * over the chunks read so far, each {@code n_c} can only grow, so {@code λ} can only fall: {@code λ + 1} from the
     * counts so far bounds the picks of every class ({@link #maxPicks}). A row whose lower bound exceeds the
     * {@code maxPicks}-th smallest exact score of its class ({@link #threshold}) has at least that many rows of its
     * class strictly below it, so it is neither picked nor compared in the last step, and its score is not needed.
     * {@code FeatureSimilaritySamplingTest.screenedSelectionsEqualTheUnscreenedOnes} checks the selections.
     */
    static final class Screen {
        private final int k;
        private final int budget;
        private final long[] seen;
        private long lambda = Long.MAX_VALUE; // unbounded until the counts exceed the budget
        private final java.util.PriorityQueue<Double>[] lowest; // per class, the exact scores so far, largest on top

        @SuppressWarnings("unchecked")
        Screen(int k, int budget) {
            this.k = k;
            this.budget = budget;
            this.seen = new long[k];
            this.lowest = new java.util.PriorityQueue[k];
            for (int c = 0; c < k; c++) {
                lowest[c] = new java.util.PriorityQueue<>(Comparator.reverseOrder());
            }
        }

        /** Counts the predicted classes of the next chunk of candidates. */
        void see(int[] predicted) {
            for (int c : predicted) {
                seen[c]++;
            }
            long total = 0;
            long most = 0;
            for (long n : seen) {
                total += n;
                most = Math.max(most, n);
            }
            if (total <= budget) {
                lambda = Long.MAX_VALUE;
                return;
            }
            long lo = 0; // Σ min(n_c, 0) = 0 <= budget
            long hi = most; // Σ min(n_c, most) = total > budget
            while (hi - lo > 1) {
                long mid = (lo + hi) >>> 1;
                long sum = 0;
                for (long n : seen) {
                    sum += Math.min(n, mid);
                }
                if (sum <= budget) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lambda = lo;
            for (int c = 0; c < k; c++) {
                while (lowest[c].size() > maxPicks(c)) {
                    lowest[c].poll();
                }
            }
        }

        /** The most picks class {@code c} can get ({@link Integer#MAX_VALUE} while the counts do not bound it). */
        int maxPicks(int c) {
            return lambda == Long.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE - 1, lambda + 1);
        }

        /** How many more exact scores class {@code c} needs before it has a threshold. */
        int missing(int c) {
            return Math.max(0, maxPicks(c) - lowest[c].size());
        }

        /** Records an exact score of class {@code c}, keeping the {@link #maxPicks} lowest. */
        void record(int c, double score) {
            int keep = maxPicks(c);
            if (keep == Integer.MAX_VALUE) {
                return;
            }
            if (lowest[c].size() < keep) {
                lowest[c].add(score);
            } else if (score < lowest[c].peek()) {
                lowest[c].poll();
                lowest[c].add(score);
            }
        }

        /** The {@link #maxPicks}-th lowest exact score of class {@code c}, or +∞ before there are that many. */
        double threshold(int c) {
            int keep = maxPicks(c);
            return keep != Integer.MAX_VALUE && lowest[c].size() >= keep ? lowest[c].peek() : Double.POSITIVE_INFINITY;
        }
    }

    /** One worker's buffers: a float tile, two tile-wide rows and a block of accumulator rows. */
    private static final class Scratch {
        final float[][] columns;
        final float[] norms = new float[ClassTiles.FLOAT_TILE];
        final float[] best = new float[ClassTiles.FLOAT_TILE];
        final float[][] acc = new float[ClassTiles.DOT_BLOCK][ClassTiles.FLOAT_TILE];

        Scratch(int d) {
            columns = new float[d][ClassTiles.FLOAT_TILE];
        }
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
            int[] sorted = byClass[c].clone();
            sortBySimilarityThenId(sorted, similarity, ids);
            sortedByClass.add(sorted);
        }
        int[] quota = new int[k];
        int remaining = Math.min(budget, n);
        while (remaining > 0) {
            int active = 0;
            for (int c = 0; c < k; c++) {
                if (quota[c] < byClass[c].length) {
                    active++;
                }
            }
            int share = remaining / active; // active >= 1 since remaining <= candidates left
            if (share == 0) {
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
                remaining = 0;
            } else {
                for (int c = 0; c < k; c++) {
                    int add = Math.min(share, byClass[c].length - quota[c]);
                    quota[c] += add;
                    remaining -= add;
                }
            }
        }
        // Round-robin pick order: rank within class first, then score, then id.
        int total = Arrays.stream(quota).sum();
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

    /**
     * Sorts positions by {@code similarity} ({@link Double#compare}), then id, stably: the order of
     * {@code bySimilarityThenId}, as a merge sort on ints instead of a sort of boxed positions (a third of the time).
     */
    static void sortBySimilarityThenId(int[] positions, double[] similarity, int[] ids) {
        int[] buffer = new int[positions.length];
        for (int width = 1; width < positions.length; width *= 2) {
            for (int lo = 0; lo < positions.length - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, positions.length);
                if (!before(positions[mid], positions[mid - 1], similarity, ids)) {
                    continue; // already in order
                }
                System.arraycopy(positions, lo, buffer, lo, hi - lo);
                for (int a = lo, b = mid, out = lo; out < hi; out++) {
                    positions[out] = b >= hi || (a < mid && !before(buffer[b], buffer[a], similarity, ids))
                            ? buffer[a++] : buffer[b++];
                }
            }
        }
    }

    /** Whether position {@code a} sorts strictly before position {@code b}: lower similarity, then lower id. */
    private static boolean before(int a, int b, double[] similarity, int[] ids) {
        int bySimilarity = Double.compare(similarity[a], similarity[b]);
        return bySimilarity < 0 || (bySimilarity == 0 && ids[a] < ids[b]);
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
