package dev.al4j.strategies.internal;

import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.RowArrays;
import dev.al4j.core.Selection;
import dev.al4j.core.StochasticModel;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one layer through which the strategies of both packages ({@code dev.al4j.strategies} and
 * {@code dev.al4j.strategies.diversity}) start a query and read their model's outputs: the arguments checked in one
 * order with one set of messages ({@link #begin}), the empty selection returned before any output is read
 * ({@link #candidates}, {@link #empty}), and the outputs read once per query into Java arrays and validated once, so
 * that no scoring loop touches an {@code INDArray} element by element. A model that is {@link RowArrays} (a
 * {@code PrecomputedModel}) hands its rows over as {@code float[]} directly, with no {@code INDArray} in between; its
 * values are those of the {@code INDArray} path converted as {@link #toFloats} converts them, so the scores are the
 * same bits either way ({@code ModelOutputsRowArraysTest}). Probability rows are checked as
 * {@link Checks#checkProbabilities} checks them, with its messages (naming the pool id of the row at fault where the
 * ids are known). Internal: not API. Stateless and thread-safe.
 */
public final class QueryOutputs {

    private QueryOutputs() {}

    /**
     * The checks every query runs first, in this order: {@code pool} and {@code model} not null, {@code budget >= 0},
     * model and pool agreeing on the number of classes ({@link Checks#checkClasses}).
     */
    public static void begin(Pool pool, Model model, int budget) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNonNegative(budget, "budget");
        Checks.checkClasses(pool, model);
    }

    /**
     * {@link #begin(Pool, Model, int)}, then the capability the strategy {@code who} needs
     * ({@link Capabilities#require}): returns {@code model} as that capability.
     */
    public static <M extends Model> M begin(Pool pool, Model model, int budget, Class<M> capability, Object who) {
        begin(pool, model, budget);
        return Capabilities.require(model, capability, who);
    }

    /**
     * The checks of an {@code AcquisitionFunction.score} call: {@code pool}, {@code model} and {@code ids} not null,
     * model and pool agreeing on the number of classes.
     */
    public static void beginScores(Pool pool, Model model, int[] ids) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNotNull(ids, "ids");
        Checks.checkClasses(pool, model);
    }

    /**
     * {@link #beginScores(Pool, Model, int[])}, then the capability the function {@code who} needs: returns
     * {@code model} as that capability.
     */
    public static <M extends Model> M beginScores(Pool pool, Model model, int[] ids, Class<M> capability,
            Object who) {
        beginScores(pool, model, ids);
        return Capabilities.require(model, capability, who);
    }

    /**
     * {@link #begin(Pool, Model, int)}, then {@link #candidates(Pool, int)}: the pool's candidates, or {@code null}
     * when the selection is empty.
     */
    public static int[] candidates(Pool pool, Model model, int budget) {
        begin(pool, model, budget);
        return candidates(pool, budget);
    }

    /** What a query does once the checks passed and the selection is not empty. */
    @FunctionalInterface
    public interface Body {
        /** Selects from the pool's {@code candidates}; {@code start} is the query's {@link System#nanoTime}. */
        Selection select(int[] candidates, long start);
    }

    /** A {@link Body} that reads the model as the capability it needs. */
    @FunctionalInterface
    public interface ModelBody<M extends Model> {
        /** Selects from the pool's {@code candidates} with the model as {@code M}. */
        Selection select(M model, int[] candidates, long start);
    }

    /**
     * A query: times it, runs {@link #begin(Pool, Model, int)}, returns the empty selection for a zero budget or no
     * candidate, else {@code body}'s selection.
     */
    public static Selection select(Pool pool, Model model, int budget, Body body) {
        long start = System.nanoTime();
        int[] candidates = candidates(pool, model, budget);
        return candidates == null ? empty(start) : body.select(candidates, start);
    }

    /**
     * {@link #select(Pool, Model, int, Body)} for a strategy {@code who} that needs the model as {@code capability}
     * (checked after {@link #begin(Pool, Model, int)}, even for a zero budget).
     */
    public static <M extends Model> Selection select(Pool pool, Model model, int budget, Class<M> capability,
            Object who, ModelBody<M> body) {
        long start = System.nanoTime();
        M m = begin(pool, model, budget, capability, who);
        int[] candidates = candidates(pool, budget);
        return candidates == null ? empty(start) : body.select(m, candidates, start);
    }

    /** A strategy's {@code withPasses} value that means "the model's {@link StochasticModel#defaultPasses()}". */
    public static final int MODEL_DEFAULT_PASSES = 0;

    /**
     * The number of MC passes to draw: {@code passes}, or the model's default when it is
     * {@link #MODEL_DEFAULT_PASSES}.
     *
     * @throws IllegalArgumentException when the model's default is below 1
     */
    public static int passes(StochasticModel model, int passes) {
        if (passes != MODEL_DEFAULT_PASSES) {
            return passes;
        }
        int t = model.defaultPasses();
        Checks.checkArgument(t >= 1, "the model's defaultPasses() must be >= 1, found %d", t);
        return t;
    }

    /**
     * The pool's candidates, or {@code null} when the selection is empty (a zero budget or no candidate): the caller
     * returns {@link #empty} before reading any output.
     */
    public static int[] candidates(Pool pool, int budget) {
        int[] candidates = pool.candidates();
        return budget == 0 || candidates.length == 0 ? null : candidates;
    }

    /** The empty selection (no ids, no scores), timed from {@code start} ({@link System#nanoTime}). */
    public static Selection empty(long start) {
        return Selection.of(new int[0], new double[0], System.nanoTime() - start);
    }

    /** The model's {@code [ids.length, K]} probabilities, validated, as a row-major {@code float[]}. */
    public static float[] probabilities(Pool pool, Model model, int[] ids, String name) {
        if (model instanceof RowArrays) {
            float[] values = probabilitiesForCheckingKernel(pool, model, ids, name); // only the length checked
            if (!areProbabilityRows(values, pool.numClasses())) {
                Checks.checkProbabilityRows(values, pool.numClasses(), ids, name); // throws the canonical message
            }
            return values;
        }
        INDArray p = model.probabilities(pool, ids);
        Checks.checkNotNull(p, name);
        if (p.rank() != 2 || p.rows() != ids.length || p.columns() != pool.numClasses()) {
            Checks.checkProbabilities(p, ids.length, pool.numClasses(), name); // throws, naming the shape
        }
        float[] values = toFloats(p);
        if (!areProbabilityRows(values, pool.numClasses())) {
            Checks.checkProbabilityRows(values, pool.numClasses(), ids, name); // throws the canonical message
        }
        return values;
    }

    /** The largest entry a probability row may have: {@code 1 +} {@link Checks#ROW_SUM_TOLERANCE}. */
    public static final double MAX_ENTRY = 1 + Checks.ROW_SUM_TOLERANCE;

    /**
     * The sum of the row {@code p[at, at + k)}, or NaN when an entry is outside {@code [0, 1 + tolerance]} (or NaN),
     * so that a bad row fails every {@code |sum − 1| <= tolerance} test and scores NaN. Read once, in the kernels'
     * order of summation.
     */
    public static double checkedRowSum(float[] p, int at, int k) {
        double sum = 0;
        boolean ok = true;
        for (int c = 0; c < k; c++) {
            float x = p[at + c];
            sum += x;
            ok &= x >= 0 & x <= MAX_ENTRY;
        }
        return ok ? sum : Double.NaN;
    }

    /**
     * Like {@link #probabilities}, for a kernel that checks the values as it reads them: when the model hands its
     * rows over as Java arrays ({@link RowArrays}) only their number is checked here, and the kernel must score a row
     * that fails {@link #areProbabilityRows}'s tests NaN (the same tests on the same row sum, which it computes
     * anyway), so the values are read once; {@link #checkScored} then throws the canonical message. Any other model's
     * outputs are checked here as {@link #probabilities} checks them.
     */
    public static float[] probabilitiesForCheckingKernel(Pool pool, Model model, int[] ids, String name) {
        if (model instanceof RowArrays rows) { // probabilities() relies on this branch for RowArrays models
            float[] values = rows.probabilityRows(pool, ids);
            Checks.checkNotNull(values, name);
            int k = pool.numClasses();
            Checks.checkArgument(values.length == (long) ids.length * k,
                    "%s must hold %d rows of %d classes, found %d values", name, ids.length, k, values.length);
            return values;
        }
        return probabilities(pool, model, ids, name);
    }

    /** Like {@link #passes}, for a kernel that checks the values (see {@link #probabilitiesForCheckingKernel}). */
    public static float[][] passesForCheckingKernel(Pool pool, StochasticModel model, int[] ids, int passes, long seed,
            String name) {
        if (model instanceof RowArrays rows) {
            return checkPassShapes(rows.stochasticProbabilityRows(pool, ids, passes, seed), passes, ids.length,
                    pool.numClasses(), name);
        }
        return passes(pool, model, ids, passes, seed, name);
    }

    /**
     * Rows read in place: row {@code i} of pass {@code t} is
     * {@code values[t][offsets[t] + rows[i]·K, offsets[t] + (rows[i] + 1)·K)}, with {@code rows[i] = i} when
     * {@code rows} is {@code null} (pass 0 alone for a single model's probabilities). {@code shared} says whether the
     * arrays are a model's own, lent read-only ({@link RowArrays#sharedProbabilityRows}: {@code rows} are then the
     * ids), or a copy made for this query; {@code checked} that the model vouches for every row
     * ({@link RowArrays.SharedRows#checked}), so the reader need not check them.
     */
    public record InPlaceRows(float[][] values, int[] offsets, int[] rows, boolean shared, boolean checked) {

        /**
         * The rows as arrays of their own, row {@code i} of pass {@code t} at {@code [t][i·K]}: the copies made for
         * this query as they are, lent rows copied ({@code n} rows of {@code k} per pass).
         */
        public float[][] owned(int n, int k) {
            if (!shared) {
                return values;
            }
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return gather(k, all);
        }

        /** Rows {@code positions[j]} of every pass, copied row-major: one array per pass. */
        public float[][] gather(int k, int[] positions) {
            float[][] out = new float[values.length][Math.multiplyExact(positions.length, k)];
            for (int t = 0; t < out.length; t++) {
                for (int j = 0; j < positions.length; ) {
                    // One copy per run of consecutive rows (all candidates, sorted, in a model's table: a few runs).
                    int first = rows == null ? positions[j] : rows[positions[j]];
                    int run = 1;
                    while (j + run < positions.length
                            && (rows == null ? positions[j + run] : rows[positions[j + run]]) == first + run) {
                        run++;
                    }
                    System.arraycopy(values[t], offsets[t] + first * k, out[t], j * k, run * k);
                    j += run;
                }
            }
            return out;
        }
    }

    /**
     * The probabilities of {@code ids} for a kernel that reads rows in place and checks the values as it reads them
     * (see {@link #probabilitiesForCheckingKernel}): the model's own rows when it lends them
     * ({@link RowArrays#sharedProbabilityRows}: no copy), else the copy of {@link #probabilitiesForCheckingKernel}.
     * On a bad row the kernel calls {@link #probabilities} for the canonical message.
     */
    public static InPlaceRows probabilitiesInPlace(Pool pool, Model model, int[] ids, String name) {
        if (model instanceof RowArrays rows) {
            java.util.Optional<RowArrays.SharedRows> shared = rows.sharedProbabilityRows(pool, ids);
            if (shared.isPresent()) {
                return checkShared(shared.get(), 1, ids, pool.numClasses(), name);
            }
        }
        return new InPlaceRows(new float[][] {probabilitiesForCheckingKernel(pool, model, ids, name)}, new int[1],
                null, false, false);
    }

    /**
     * The passes over {@code ids} for a kernel that reads rows in place and checks them (as
     * {@link #probabilitiesInPlace}): the model's own passes when it lends them
     * ({@link RowArrays#sharedStochasticRows}), else the copy of {@link #passesForCheckingKernel}. On a bad row the
     * kernel calls {@link #passes} for the canonical message.
     */
    public static InPlaceRows passesInPlace(Pool pool, StochasticModel model, int[] ids, int passes, long seed,
            String name) {
        if (model instanceof RowArrays rows) {
            java.util.Optional<RowArrays.SharedRows> shared = rows.sharedStochasticRows(pool, ids, passes, seed);
            if (shared.isPresent()) {
                return checkShared(shared.get(), passes, ids, pool.numClasses(), name);
            }
        }
        return new InPlaceRows(passesForCheckingKernel(pool, model, ids, passes, seed, name), new int[passes], null,
                false, false);
    }

    /** Checks that lent rows hold {@code passes} passes with a row of {@code k} values for every id. */
    private static InPlaceRows checkShared(RowArrays.SharedRows shared, int passes, int[] ids, int k, String name) {
        float[] values = shared.values();
        int[] offsets = shared.offsets();
        Checks.checkArgument(offsets.length == passes, "%s must lend %d passes, found %d", name, passes,
                offsets.length);
        // The ids every pass can lend, [minId, maxId], then one OR over every id (vectorised by the JIT, no branch):
        // negative iff some id is outside; only then the lowest and highest id, for the message.
        long minId = Long.MIN_VALUE;
        long maxId = Long.MAX_VALUE;
        for (int t = 0; t < passes && t < offsets.length; t++) {
            minId = Math.max(minId, Math.floorDiv(-(long) offsets[t] + k - 1, (long) k)); // offsets[t] + id·k >= 0
            maxId = Math.min(maxId, Math.floorDiv((long) values.length - offsets[t], (long) k) - 1); // (id + 1)·k fits
        }
        long any = 0;
        for (int id : ids) {
            any |= (id - minId) | (maxId - id);
        }
        if (any < 0) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (int id : ids) {
                lo = Math.min(lo, id);
                hi = Math.max(hi, id);
            }
            for (int t = 0; t < passes; t++) {
                long from = offsets[t] + (long) lo * k;
                long to = offsets[t] + (hi + 1L) * k;
                if (!(from >= 0 && to <= values.length)) {
                    Checks.checkArgument(false, "%s lent rows [%d, %d) outside its %d values", name, from, to,
                            values.length);
                }
            }
        }
        float[][] perPass = new float[passes][];
        java.util.Arrays.fill(perPass, values);
        return new InPlaceRows(perPass, offsets.clone(), ids, true, shared.checked());
    }

    /**
     * Throws the canonical message of {@link Checks#checkProbabilities}, naming the pool id ({@code ids[i]} is row
     * {@code i}'s), when a checking kernel scored a row NaN.
     */
    public static void checkScored(double[] scores, float[] values, int k, int[] ids, String name) {
        for (double score : scores) {
            if (score != score) {
                Checks.checkProbabilityRows(values, k, ids, name); // throws
                throw new IllegalStateException("a checking kernel rejected valid probabilities"); // not reached
            }
        }
    }

    /** {@link #checkScored(double[], float[], int, int[], String)} for passes. */
    public static void checkScored(double[] scores, float[][] passes, int k, String name) {
        for (double score : scores) {
            if (score != score) {
                rejectPasses(passes, passes.length, scores.length, k, name);
                throw new IllegalStateException("a checking kernel rejected valid probabilities"); // not reached
            }
        }
    }

    /**
     * Whether every row of {@code k} values is a probability vector as {@link Checks#checkProbabilities} demands
     * (entries in {@code [0, 1 + tol]}, row sum within {@link Checks#ROW_SUM_TOLERANCE} of 1, NaN failing): the same
     * tests, in the same precision, on the Java copy the scores read, so the array is read once; on {@code false}
     * the caller lets {@code Checks} build its message.
     */
    public static boolean areProbabilityRows(float[] v, int k) {
        for (int at = 0; at < v.length; at += k) {
            if (!(Math.abs(checkedRowSum(v, at, k) - 1) <= Checks.ROW_SUM_TOLERANCE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The model's {@code passes} stochastic passes over {@code ids}, validated (shape {@code [T, ids.length, K]},
     * finite, rows summing to 1), one row-major {@code float[ids.length * K]} per pass.
     */
    public static float[][] passes(Pool pool, StochasticModel model, int[] ids, int passes, long seed, String name) {
        if (model instanceof RowArrays rows) {
            return checkPasses(rows.stochasticProbabilityRows(pool, ids, passes, seed), passes, ids.length,
                    pool.numClasses(), name);
        }
        INDArray s = model.stochasticProbabilities(pool, ids, passes, seed);
        checkSampleShape(s, passes, ids.length, pool.numClasses(), name);
        float[][] out = toPasses(s);
        int k = pool.numClasses();
        for (float[] pass : out) {
            if (!areProbabilityRows(pass, k)) {
                checkSamples(s, passes, ids.length, k, name); // throws the canonical message
            }
        }
        return out;
    }

    /** The checks of {@link #passes} on passes handed over as Java arrays ({@link RowArrays}). */
    private static float[][] checkPasses(float[][] out, int passes, int n, int k, String name) {
        checkPassShapes(out, passes, n, k, name);
        for (float[] pass : out) {
            if (!areProbabilityRows(pass, k)) {
                rejectPasses(out, passes, n, k, name);
            }
        }
        return out;
    }

    /** The shape checks of {@link #checkPasses}, without reading the values; returns {@code out}. */
    private static float[][] checkPassShapes(float[][] out, int passes, int n, int k, String name) {
        Checks.checkNotNull(out, name);
        Checks.checkArgument(out.length == passes, "%s must hold %d passes, found %d", name, passes, out.length);
        for (float[] pass : out) {
            Checks.checkNotNull(pass, name);
            Checks.checkArgument(pass.length == (long) n * k, "%s must hold %d rows of %d classes per pass, found %d "
                    + "values", name, n, k, pass.length);
        }
        return out;
    }

    /** Throws the canonical message for passes that hold an invalid row. */
    private static void rejectPasses(float[][] out, int passes, int n, int k, String name) {
        // Lay the passes out as the INDArray path sees them, so that the message is the canonical one.
        float[] all = new float[Math.multiplyExact(passes, n * k)];
        for (int t = 0; t < passes; t++) {
            System.arraycopy(out[t], 0, all, t * n * k, n * k);
        }
        checkSamples(Nd4j.create(all, new long[] {passes, n, k}, 'c'), passes, n, k, name); // throws
    }

    /**
     * Checks an array of {@code [T, n, K]} probabilities ({@code -1} accepts any size in that dimension): rank 3,
     * the expected sizes, and every row a probability vector as {@link Checks#checkProbabilities} demands.
     */
    public static INDArray checkSamples(INDArray samples, long t, long n, long k, String name) {
        long[] shape = checkSampleShape(samples, t, n, k, name);
        if (shape[1] > 0 && shape[2] > 0) {
            Checks.checkProbabilities(samples.reshape('c', shape[0] * shape[1], shape[2]), -1, -1, name);
        }
        return samples;
    }

    /** The shape checks of {@link #checkSamples}, without reading the values; returns the shape. */
    private static long[] checkSampleShape(INDArray samples, long t, long n, long k, String name) {
        Checks.checkNotNull(samples, name);
        long[] shape = samples.shape();
        Checks.checkArgument(samples.rank() == 3, "%s must be a [T, n, K] array, found shape %s", name,
                Arrays.toString(shape));
        Checks.checkArgument(t < 0 || shape[0] == t, "%s must hold %d passes, found shape %s", name, t,
                Arrays.toString(shape));
        Checks.checkArgument(shape[0] >= 1, "%s must hold at least one pass, found shape %s", name,
                Arrays.toString(shape));
        Checks.checkArgument(n < 0 || shape[1] == n, "%s must have %d rows per pass, found shape %s", name, n,
                Arrays.toString(shape));
        Checks.checkArgument(k < 0 || shape[2] == k, "%s must have %d columns (classes), found shape %s", name, k,
                Arrays.toString(shape));
        return shape;
    }

    /** Row-major probabilities {@code [n, K]} and embeddings {@code [n, d]} of {@code n} ids, from one model call. */
    public record Rows(float[] probabilities, float[] embeddings) {}

    /** The name of the probabilities in the messages of {@link #predicted}. */
    public static final String PROBABILITIES = "model probabilities";
    /** The name of the embeddings in the messages of {@link #predicted}. */
    public static final String EMBEDDINGS = "model embeddings";

    /**
     * The validated probabilities and embeddings of {@code ids} from one model call: a {@link RowArrays} model copies
     * its embeddings into {@code buffer} (at least {@code ids.length·d} long; {@code null} for none) when it offers
     * them as rows, any other {@link EmbeddingModel} runs {@link EmbeddingModel#predict} once. Checks: the shapes
     * {@code [n, K]} and {@code [n, d]}, probability rows as {@link Checks#checkProbabilityRows} (naming the id),
     * finite embeddings (naming the id and the feature).
     */
    public static Rows predicted(Pool pool, EmbeddingModel model, int[] ids, int d, float[] buffer) {
        int k = pool.numClasses();
        if (model instanceof RowArrays rows && buffer != null && rows.embeddingRows(pool, ids, buffer)) {
            checkFinite(buffer, ids.length * d, d, ids);
            return new Rows(probabilities(pool, model, ids, PROBABILITIES), buffer);
        }
        Predictions p = model.predict(pool, ids);
        Checks.checkNotNull(p, "predictions");
        INDArray q = Checks.checkNotNull(p.probabilities(), PROBABILITIES);
        Checks.checkArgument(q.rank() == 2 && q.rows() == ids.length && q.columns() == k,
                "%s must have shape [%d, %d] (ids, classes), found %s", PROBABILITIES, ids.length, k,
                Arrays.toString(q.shape()));
        float[] probabilities = toFloats(q);
        if (!areProbabilityRows(probabilities, k)) {
            Checks.checkProbabilityRows(probabilities, k, ids, PROBABILITIES); // throws the canonical message
        }
        INDArray e = Checks.checkNotNull(p.embeddings(), EMBEDDINGS);
        Checks.checkArgument(e.rank() == 2 && e.rows() == ids.length && e.columns() == d,
                "%s must have shape [%d, %d] (ids, embeddingSize), found %s", EMBEDDINGS, ids.length, d,
                Arrays.toString(e.shape()));
        float[] embeddings = toFloats(e);
        checkFinite(embeddings, embeddings.length, d, ids);
        return new Rows(probabilities, embeddings);
    }

    /**
     * {@link FiniteSimd}'s gate ({@link Simd.Gate}), in values: about six queries of the SCAL setting's embeddings, so
     * that a one-shot query stays scalar; then its warm-up on a daemon thread.
     */
    private static final Simd.Gate FINITE_GATE = new Simd.Gate(1L << 25, () -> FiniteSimd.warmUp());

    /** Checks {@code e[0 .. length)}, rows of {@code d} features of {@code ids}; the message names id and feature. */
    public static void checkFinite(float[] e, int length, int d, int[] ids) {
        if (FINITE_GATE.simd(length) && FiniteSimd.allFinite(e, length)) {
            return;
        }
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(e[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must be finite, found %s for id %d, feature %d", EMBEDDINGS, e[i], ids[i / d], i % d));
            }
        }
    }

    /**
     * The elements of {@code a} in row-major order as floats: one copy out of native memory (two when {@code a}
     * is a view, not row-major or not float32).
     */
    public static float[] toFloats(INDArray a) {
        if (a.length() == 0) {
            return new float[0];
        }
        INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (!isPlainFloat(c)) {
            c = c.dup('c');
        }
        float[] out = c.data().asFloat();
        Checks.checkState(out.length == a.length(), "pulled %d values from an array of length %d", out.length,
                a.length());
        return out;
    }

    /** Whether {@code a} is float32, row-major and owns exactly its buffer from offset 0 (so its buffer is its values). */
    private static boolean isPlainFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.offset() == 0
                && a.data().length() == a.length() && Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c'));
    }

    /** Splits {@code [T, n, K]} samples into one row-major {@code float[n * K]} per pass. */
    public static float[][] toPasses(INDArray samples) {
        int t = (int) samples.size(0);
        long perPass = samples.size(1) * samples.size(2);
        Checks.checkArgument(perPass < Integer.MAX_VALUE, "one pass of %s values is too large for a Java array",
                perPass);
        float[][] out = new float[t][];
        if (perPass > 0 && t * perPass <= Integer.MAX_VALUE && isPlainFloat(samples)) {
            // One view of the native buffer, one bulk copy per pass: no ND4J op per pass.
            java.nio.FloatBuffer all = samples.data().asNioFloat();
            for (int pass = 0; pass < t; pass++) {
                out[pass] = new float[(int) perPass];
                all.position((int) (pass * perPass));
                all.get(out[pass]);
            }
            return out;
        }
        for (int pass = 0; pass < t; pass++) {
            // Pass by pass, so that T * n * K may exceed a Java array's length and the heap holds one copy.
            out[pass] = perPass == 0 ? new float[0] : toFloats(samples.slice(pass));
        }
        return out;
    }
}
