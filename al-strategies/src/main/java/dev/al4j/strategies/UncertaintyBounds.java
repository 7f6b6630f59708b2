package dev.al4j.strategies;

import dev.al4j.core.Checks;
import dev.al4j.core.TopK;
import dev.al4j.strategies.internal.QueryOutputs;
import dev.al4j.strategies.internal.Simd;
import java.util.Arrays;

/**
 * Exact upper bounds on entropy and BALD that need no logarithm per row, used before {@link UncertaintyScreens}'
 * approximate screen to rule out the rows that cannot be in the exact top {@code b}: when {@code b} is a small part
 * of {@code n} (the top 0.1 % at {@code n = 10⁶}, {@code b = 1 000}) most rows are ruled out by one pass of sums and
 * comparisons, and only the survivors get {@link FastLog} values ({@link UncertaintyScreens}) and then the exact
 * rescoring of {@link ScreenedTopK}. The selection is unchanged: a row is ruled out only when its exact score (as
 * {@link UncertaintyScores} computes it) is strictly below the {@code b}-th largest exact score, so ids, order, ties
 * and scores stay those of {@link TopK} over every candidate's exact score ({@code UncertaintyBoundsTest}).
 *
 * <p>Notation: {@code v} is a row as the exact kernels see it (the floats times {@code 1/sum}, in double: the bits of
 * {@link UncertaintyScores#loadNormalised}); its sum is within {@code ε = γ(K + 3)} of 1 ({@code γ(j) = j·u/(1 − j·u)},
 * {@code u = 2⁻⁵³}: a sum of {@code K} values, one reciprocal, one product per entry). {@code H[v] = −Σ v_c log v_c}
 * in real arithmetic.
 * <ul>
 *   <li><b>Entropy</b> (seed 001, the entropy of its uncertainty list), <b>grouped</b>: split a row into the
 *       {@code a} entries above {@code 1/K}, of mass {@code S}, and the other {@code K − a}, of mass
 *       {@code s − S ≤ 1 + ε − S}. The entropy of {@code j} entries of mass {@code x} is at most
 *       {@code g_j(x) = x·log(j/x)} (all equal, by concavity), which increases up to {@code x = j/e}. So
 *       {@code H[v] ≤ F_a(S) = g_a(S) + g_(K−a)(min(1 + ε − S, (K − a)/e))}, and on
 *       {@code S ≥ max(a(1 + ε)/K, 1 + ε − (K − a)/e)} the clamp is inactive and
 *       {@code F_a' = log(a(1 + ε − S)/((K − a)S)) ≤ 0}: {@code F_a} decreases, so one cut-off {@code S*_a} per
 *       {@code a} with {@code F_a(S*_a) ≤ τ − 2Δ} rules out every row with {@code S > S*_a} by one comparison. (The
 *       partition {top entry, the rest}, the min-entropy bound from the largest probability, is the same
 *       inequality with a coarser split; on the SCAL-like fixture at 10⁶ it keeps 10 % of the rows where this one
 *       keeps 0.7 %.)</li>
 *   <li><b>BALD</b> (seed 001, its BALD section, after Houlsby et al. 2011, estimated from MC passes as
 *       {@code H[m̄] − (1/T) Σ_t H[v_t]}, {@code m̄} the mean of the passes) is the mean over passes of
 *       {@code KL(v_t ‖ m̄)}, and with {@code v = m̄(1 + δ)},
 *       {@code KL = Σ_c m̄_c φ(δ_c) + (Σ v − Σ m̄)}, {@code φ(δ) = (1 + δ) log(1 + δ) − δ = h(δ)·δ²}, where
 *       {@code h} decreases from {@code h(−1) = 1} through {@code h(0) = 1/2} to 0. With {@code w(δ)} the value of
 *       {@code h} a little left of the lower end of δ's piece (pieces of 1/8 on {@code [−1, 1)}, then
 *       {@code [2^e, 2^(e+1))}), {@code BALD ≤ (1/T) Σ_t Σ_c w(δ_tc)·(v_tc − m̄_c)²/m̄_c}: a weighted χ² with no
 *       logarithm, within a few per cent of BALD where the passes agree. (The plain χ² bound, {@code w = 1}, keeps
 *       47 % of the rows of that fixture; {@code log(1 + χ²)} 34 %; this one 2 %.)</li>
 * </ul>
 * The threshold {@code τ} is a proven lower bound on the {@code b}-th largest exact score: the {@code b}-th largest
 * approximate score ({@link UncertaintyScreens}) of a probe of {@code 2b} rows (the flattest rows for entropy, the
 * best bounds for BALD), minus the screen's error bound {@code Δ} (at least {@code b} probe rows have an exact score
 * above it). A row is ruled out when {@code τ > 0} and its bound, plus the bound's rounding margin, plus {@code Δ}
 * (which also bounds the exact kernel's own rounding), is below {@code τ}: its exact score, clamped at 0 as the kernels
 * clamp it, is then below {@code τ}, strictly below the {@code b}-th exact score, whatever the ties.
 *
 * <p>Cost: one pass over the values ({@code n·K}; BALD two sweeps over each block of {@code T·K}, like MeanSTD), no
 * logarithm; an {@code O(n)} selection, the probe ({@code 2b} rows' screen), a copy of the surviving rows; memory
 * {@code 8n} bytes for the bounds (entropy: {@code 21n}). Rows are read in place (an offset per pass), so a model's
 * own arrays need no copy ({@link dev.al4j.core.RowArrays#sharedProbabilityRows}). A bad row (entries outside
 * {@code [0, 1 + tol]}, a sum off by more than the tolerance, NaN) makes the pass call {@code reject}, which throws
 * the canonical message. Static, stateless, thread-safe; rows split over processors like the kernels
 * ({@link UncertaintyScores#forRowRanges}).
 */
final class UncertaintyBounds {

    /** The probe holds this many budgets of rows (the best bounds), from which {@code τ} is taken. */
    static final int PROBE_BUDGETS = 2;

    private UncertaintyBounds() {}

    /** The bound on {@code |Σ_c v_c − 1|} of a normalised row of {@code k} entries. */
    static double rowSumError(int k) {
        return UncertaintyScreens.gamma(k + 3L);
    }

    /**
     * {@code F_a(S)}: an upper bound on the entropy of {@code k} non-negative entries, {@code a} of which sum to
     * {@code S}, all of them summing to within {@code eps} of 1 (see the class comment), with {@link Math#log}:
     * {@code S·log(a/S) + g(min(1 + eps − S, (k − a)/e))}, {@code g(x) = x·log((k − a)/x)}.
     */
    static double groupedEntropyBound(double mass, int a, int k, double eps) {
        double rest = Math.min(1 + eps - mass, (k - a) / Math.E);
        double h = mass > 0 ? mass * (Math.log(a) - Math.log(mass)) : 0.0;
        return rest > 0 ? h + rest * (Math.log(k - a) - Math.log(rest)) : h;
    }

    /**
     * The smallest {@code S*} (to bisection precision) in the range where {@code F_a} decreases, from
     * {@code max(a(1 + eps)/k, 1 + eps − (k − a)/e)} to {@code 1 + eps}, with {@code F_a(S*) ≤ target}: every row
     * whose {@code a} entries above {@code 1/k} sum to more has entropy at most {@code target} (up to {@code F}'s
     * rounding, far below the margins). {@code +∞} when there is none (no row with that {@code a} is ruled out).
     */
    static double groupedEntropyCutoff(double target, int a, int k, double eps) {
        if (a < 1 || a >= k) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = Math.max(a * (1 + eps) / k, 1 + eps - (k - a) / Math.E);
        double hi = 1 + eps;
        if (!(groupedEntropyBound(hi, a, k, eps) <= target)) {
            return Double.POSITIVE_INFINITY;
        }
        if (groupedEntropyBound(lo, a, k, eps) <= target) {
            return lo;
        }
        // Invariant: F(hi) <= target < F(lo).
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (groupedEntropyBound(mid, a, k, eps) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** Above this many classes the cut-offs ({@code K − 1} bisections) are not worth it: no row is ruled out. */
    static final int MAX_CLASSES = 4096;

    // --- entropy --------------------------------------------------------------------------------------------------

    /**
     * The positions (ascending) of the {@code n} rows of pass 0 of {@code rows} that can be in the exact top
     * {@code budget} by entropy. {@code null} when no row can be ruled out ({@code budget >= n}, {@code k < 2} or
     * above {@link #MAX_CLASSES}, a threshold of 0). Calls {@code reject} (which must throw) when a row is not a
     * probability row. When {@code rows.checked()} the rows are known to be probability rows
     * ({@link dev.al4j.core.RowArrays.SharedRows#checked}), so the pass neither checks nor sums them; it then takes
     * the mass of the group from the raw floats, whose row sum is at most {@code 1 + tol} (the model checked it, in
     * some order, so at most {@code 1 + 2·tol} in any), and compares {@code S_raw/(1 + 2·tol)}: a lower estimate.
     *
     * <p>The pass keeps 6 bytes per row (the group's mass as a float, its size as a short); with
     * {@link dev.al4j.strategies.internal.Simd#ENABLED} the checked pass loads a row per vector
     * ({@link GroupedMassSimd}). The probe's rows are found by one pass over those 6 bytes with a threshold guessed
     * from a sample ({@link #flattest}), the survivors by one more.
     */
    static int[] entropyCandidates(QueryOutputs.InPlaceRows rows, int n, int k, int budget, Runnable reject) {
        return entropyCandidates(rows, n, k, budget, reject, rows.checked() && ENTROPY_GATE.simd((long) n * k));
    }

    /** {@link #entropyCandidates}, with the checked pass's SIMD kernel on or off (tests run both). */
    static int[] entropyCandidates(QueryOutputs.InPlaceRows rows, int n, int k, int budget, Runnable reject,
            boolean simdEnabled) {
        float[] p = rows.values()[0];
        int base = rows.offsets()[0];
        int[] ids = rows.rows(); // null: row i is at base + i·k
        boolean checked = rows.checked();
        if (budget >= n || k < 2 || k > MAX_CLASSES) {
            return null;
        }
        // Each row's a (entries above 1/K) in groups, and a float in mass that times `scale` is at most the real
        // mass S of those entries in the normalised row (NaN for a row that is not a probability row).
        float[] mass = new float[n];
        short[] groups = new short[n];
        double scale;
        if (checked) {
            // Float sums of at most K values in [0, 1 + tol], in any order: within K·2⁻²⁴ (relative) of the real
            // sum; then the row sum's lower estimate (see above).
            scale = (1 - (k + 2) * 0x1p-24) / (1 + 2 * Checks.ROW_SUM_TOLERANCE);
            boolean simd = simdEnabled && GroupedMassSimd.fits(k);
            UncertaintyScores.forRowRanges(n, k, (from, to) -> {
                if (simd) {
                    GroupedMassSimd.checkedGroups(p, base, ids, k, from, to, mass, groups);
                } else {
                    checkedGroups(p, base, ids, k, from, to, mass, groups);
                }
            });
        } else {
            scale = 1 - 0x1p-23; // the mass is rounded to the nearest float below
            UncertaintyScores.forRowRanges(n, k, (from, to) -> uncheckedGroups(p, base, ids, k, from, to, mass,
                    groups));
        }
        // The probe: the flattest rows by a/K − S (0 for a uniform row, −(1 − 1/K) for a one-hot one), a guess at the
        // highest entropies, which only sets τ.
        int[] probe = flattest(mass, groups, k, Math.min(n, PROBE_BUDGETS * budget), reject);
        double[] approximate = UncertaintyScreens.entropy(rows.gather(k, probe)[0], probe.length, k);
        double delta = UncertaintyScreens.entropyBound(k);
        double tau = TopK.kthLargest(approximate, budget) - delta;
        if (!(tau > 0)) {
            return null;
        }
        // A row with a entries above 1/K of mass S > cutoff[a] has exact H ≤ max(0, F_a(S) + Δ) ≤ max(0, τ − Δ) < τ.
        double eps = rowSumError(k);
        double[] cutoff = new double[k + 1];
        for (int a = 0; a <= k; a++) {
            cutoff[a] = groupedEntropyCutoff(tau - 2 * delta, a, k, eps);
        }
        // The computed mass (raw floats summed in another order than the kernel's sum, one division) is within
        // γ(2K + 8) (relative) of the real mass of those entries of v: compare its lower end.
        double lower = scale * (1 - UncertaintyScreens.gamma(2L * k + 8));
        return positions(n, i -> !(mass[i] * lower > cutoff[groups[i]]));
    }

    /**
     * The scalar pass of the checked rows {@code from} to {@code to} (see {@link #entropyCandidates}): the float sum
     * of each row's entries above {@code 1/k} and their count; {@link GroupedMassSimd} is its SIMD twin.
     */
    static void checkedGroups(float[] p, int base, int[] ids, int k, int from, int to, float[] mass, short[] groups) {
        int threshold = Float.floatToRawIntBits(1.0f / k);
        for (int i = from; i < to; i++) {
            int at = base + (ids == null ? i : ids[i]) * k;
            float above0 = 0;
            float above1 = 0;
            int a = 0;
            int c = 0;
            for (; c + 1 < k; c += 2) {
                float x0 = p[at + c];
                float x1 = p[at + c + 1];
                int big0 = (threshold - (Float.floatToRawIntBits(x0) & ABS)) >>> 31; // as in uncheckedGroups
                int big1 = (threshold - (Float.floatToRawIntBits(x1) & ABS)) >>> 31;
                above0 += x0 * big0;
                above1 += x1 * big1;
                a += big0 + big1;
            }
            if (c < k) {
                float x = p[at + c];
                int big = (threshold - (Float.floatToRawIntBits(x) & ABS)) >>> 31;
                above0 += x * big;
                a += big;
            }
            mass[i] = above0 + above1;
            groups[i] = (short) a;
        }
    }

    /**
     * The pass of rows that no model vouches for: as {@link #checkedGroups}, and each row checked as the kernels
     * check it; {@code mass[i]} is the group's mass in the normalised row rounded to a float at most 2⁻²³ above it
     * (relative), NaN when the row is not a probability row.
     */
    private static void uncheckedGroups(float[] p, int base, int[] ids, int k, int from, int to, float[] mass,
            short[] groups) {
        int threshold = Float.floatToRawIntBits(1.0f / k);
        for (int i = from; i < to; i++) {
            int at = base + (ids == null ? i : ids[i]) * k;
            // Two chains of additions each (the sum, the mass of the entries above 1/K): latency, not work, is what a
            // row of ten costs. Any split of the row gives a valid bound, so the raw floats decide it.
            double sum0 = 0;
            double sum1 = 0;
            double above0 = 0;
            double above1 = 0;
            int a = 0;
            boolean ok = true;
            int c = 0;
            for (; c + 1 < k; c += 2) {
                float x0 = p[at + c];
                float x1 = p[at + c + 1];
                sum0 += x0;
                sum1 += x1;
                // 1 when the float is above 1/K: for floats >= 0 the int order is the float order (the sign bit is
                // cleared, so -0.0f counts as 0, as the vector compare of GroupedMassSimd counts it; negative or NaN
                // entries fail ok). No branch on the data: a mispredicted one per value tripled this loop's time.
                int big0 = (threshold - (Float.floatToRawIntBits(x0) & ABS)) >>> 31;
                int big1 = (threshold - (Float.floatToRawIntBits(x1) & ABS)) >>> 31;
                above0 += x0 * big0;
                above1 += x1 * big1;
                a += big0 + big1;
                ok &= x0 >= 0 & x0 <= QueryOutputs.MAX_ENTRY & x1 >= 0 & x1 <= QueryOutputs.MAX_ENTRY;
            }
            if (c < k) {
                float x = p[at + c];
                sum0 += x;
                int big = (threshold - (Float.floatToRawIntBits(x) & ABS)) >>> 31;
                above0 += x * big;
                a += big;
                ok &= x >= 0 & x <= QueryOutputs.MAX_ENTRY;
            }
            double sum = sum0 + sum1;
            mass[i] = ok && isProbabilitySum(sum, p, at, k) ? (float) ((above0 + above1) / sum) : Float.NaN;
            groups[i] = (short) a;
        }
    }

    /** Clears a float's sign bit. */
    private static final int ABS = 0x7fffffff;

    /** Rows of the strided sample from which {@link #flattest} guesses its threshold. */
    static final int PROBE_SAMPLE = 1 << 14;

    /**
     * The positions (ascending) of the {@code count} rows with the largest key {@code groups[i]/k − mass[i]} (the
     * lowest positions among ties), by {@link #best} on the rows whose key reaches a threshold: a key of a strided
     * sample of {@link #PROBE_SAMPLE} rows, taken so that about {@code 4·count} rows reach it; lowered (down to every
     * row) while fewer than {@code count} do. One pass over the {@code 6n} bytes, no sort of {@code n} keys. Calls
     * {@code reject} on a NaN mass (every row is tested).
     */
    static int[] flattest(float[] mass, short[] groups, int k, int count, Runnable reject) {
        int n = mass.length;
        if (count == 0) {
            return new int[0];
        }
        double invK = 1.0 / k;
        int stride = n / PROBE_SAMPLE;
        if (stride <= 1) { // a few rows: every key, and the count best of them
            double[] keys = new double[n];
            for (int i = 0; i < n; i++) {
                keys[i] = groups[i] * invK - mass[i];
            }
            checkKeys(keys, reject);
            return best(keys, count);
        }
        double[] sample = new double[(n + stride - 1) / stride];
        for (int j = 0; j < sample.length; j++) {
            sample[j] = groups[j * stride] * invK - mass[j * stride];
        }
        checkKeys(sample, reject);
        // The sample's r-th largest key: about r·stride rows reach it.
        int rank = (int) Math.min(sample.length, 4L * count / stride + 1);
        while (true) {
            double threshold = rank >= sample.length ? Double.NEGATIVE_INFINITY : TopK.kthLargest(sample, rank);
            // NaN keys pass (!(NaN < t)), so that the check below sees every bad row.
            int[] collected = positions(n, i -> !(groups[i] * invK - mass[i] < threshold));
            if (collected.length >= count || threshold == Double.NEGATIVE_INFINITY) {
                double[] keys = new double[collected.length];
                for (int j = 0; j < keys.length; j++) {
                    keys[j] = groups[collected[j]] * invK - mass[collected[j]];
                }
                checkKeys(keys, reject);
                int[] chosen = best(keys, count);
                for (int j = 0; j < chosen.length; j++) {
                    chosen[j] = collected[chosen[j]];
                }
                return chosen;
            }
            rank = (int) Math.min(sample.length, 4L * rank);
        }
    }

    /** Calls {@code reject} (which must throw) when a key is NaN (its row is not a probability row). */
    private static void checkKeys(double[] keys, Runnable reject) {
        for (double key : keys) {
            if (key != key) {
                reject.run();
                throw new IllegalStateException("reject did not throw for an invalid row");
            }
        }
    }

    /** A test of row {@code i}. */
    interface RowTest {
        boolean test(int i);
    }

    /**
     * The positions {@code i < n} (ascending) that pass {@code test}, the rows split over processors like the
     * kernels ({@link UncertaintyScores#forRowRanges}); {@code test} must be thread-safe.
     */
    static int[] positions(int n, RowTest test) {
        java.util.concurrent.ConcurrentSkipListMap<Integer, int[]> parts =
                new java.util.concurrent.ConcurrentSkipListMap<>();
        UncertaintyScores.forRowRanges(n, 2L, (from, to) -> {
            int[] part = new int[Math.min(to - from, 1024)];
            int count = 0;
            for (int i = from; i < to; i++) {
                if (test.test(i)) {
                    if (count == part.length) {
                        part = Arrays.copyOf(part, Math.min(to - from, 2 * count));
                    }
                    part[count++] = i;
                }
            }
            parts.put(from, Arrays.copyOf(part, count));
        });
        int total = 0;
        for (int[] part : parts.values()) {
            total += part.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] part : parts.values()) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    // --- BALD -----------------------------------------------------------------------------------------------------

    /**
     * The positions (ascending) of the {@code n} rows of {@code rows} (its passes) that can be in the exact top
     * {@code budget} by BALD. {@code null} when no row can be ruled out ({@code budget >= n}, {@code k < 2}, a
     * threshold of 0). Calls {@code reject} (which must throw) when a row is not a probability row.
     */
    static int[] baldCandidates(QueryOutputs.InPlaceRows rows, int n, int k, int budget, Runnable reject) {
        if (budget >= n || k < 2) {
            return null;
        }
        return candidatesFromBounds(rows, n, k, budget, reject, baldBounds(rows, n, k));
    }

    /** {@link #baldCandidates}, with the bound's SIMD kernels on or off (tests run both). */
    static int[] baldCandidates(QueryOutputs.InPlaceRows rows, int n, int k, int budget, Runnable reject,
            boolean simdEnabled) {
        if (budget >= n || k < 2) {
            return null;
        }
        return candidatesFromBounds(rows, n, k, budget, reject, baldBounds(rows, n, k, simdEnabled));
    }

    /** {@link #baldCandidates} from the rows' bounds. */
    private static int[] candidatesFromBounds(QueryOutputs.InPlaceRows rows, int n, int k, int budget,
            Runnable reject, double[] bound) {
        int t = rows.values().length;
        for (double v : bound) {
            if (v != v) {
                reject.run();
                throw new IllegalStateException("reject did not throw for an invalid row");
            }
        }
        int[] probe = best(bound, Math.min(n, PROBE_BUDGETS * budget));
        double[] approximate = UncertaintyScreens.bald(rows.gather(k, probe), probe.length, k);
        double delta = UncertaintyScreens.baldBound(k, t);
        double tau = TopK.kthLargest(approximate, budget) - delta;
        if (!(tau > 0)) {
            return null;
        }
        // A row with B·(1 + 4γ) + c₀ + Δ < τ has exact BALD ≤ max(0, B_real + Δ) < τ (see baldBoundMargin).
        double g = UncertaintyScreens.gamma((long) k * t + 16);
        return atLeast(bound, (tau - delta - baldBoundMargin(k, t)) / (1 + 4 * g));
    }

    /**
     * The additive part {@code c₀} of the margin of {@link #baldBounds}: the mean's rounding against the real mean of
     * the passes ({@code Σ_c |m̄_c − mean_t v_tc|·|log m̄_c| ≤ γ(T + 2)(log K + 1)}) and the sums' distance from 1
     * ({@code 2ε̄}); the weights' own rounding is covered by their shift {@link #WEIGHT_SHIFT}, the sums' rounding by
     * the relative {@code 4γ(K·T + 16)}. Second term: {@link BaldBoundSimd#normalise} sums a row in another order than
     * the kernels, so its row {@code v'_t} is the kernels' {@code v_t} times {@code (1 + η_t)},
     * {@code |η_t| ≤ η = γ(2K + 8)} (two sums of the same {@code K} floats, each within {@code γ(K − 1)} of the real
     * sum, a reciprocal and a product each). Scaling a row by {@code 1 + η_t} moves its entropy by at most
     * {@code |η_t|·H + |(1 + η_t) log(1 + η_t)|·Σ v ≤ η(log K + 1)(1 + 2η)}, and moves each entry of the mean by a
     * factor within {@code 1 ± η}, which moves {@code H[m̄]} by as much: BALD of {@code v'} is within
     * {@code 2η(log K + 1)(1 + 2η) ≤ 4γ(2K + 8)(log K + 2)} of the kernels' BALD, and that term is added (the scalar
     * sweep, which sums in the kernels' order, gets the same margin: one margin for both paths).
     */
    static double baldBoundMargin(int k, int t) {
        return 8 * UncertaintyScreens.gamma((long) k + t + 8) * (Math.log(k) + 4)
                + 4 * UncertaintyScreens.gamma(2L * k + 8) * (Math.log(k) + 2);
    }

    /**
     * Pieces of the ratio {@code ρ = v/m̄ = 1 + δ >= 0}: its exponent and the top three bits of its mantissa, i.e.
     * the double's bits shifted right by 49 (eight pieces per octave; sign 0).
     */
    static final int PIECE_SHIFT = 49;

    /**
     * The weights are {@code h} a little left of each piece's lower end {@code L}: {@code h(L·(1 − 1e-9) − 1)}, so
     * that ρ's rounding (three roundings, relative) cannot put a ρ in a piece whose weight is below {@code h(ρ − 1)}.
     */
    static final double WEIGHT_SHIFT = 1e-9;

    /** {@code WEIGHTS[j] >= sup h(ρ − 1)} over piece {@code j}, {@code h} decreasing; {@code h(−1) = 1} for piece 0. */
    private static final double[] WEIGHTS = new double[1 << (63 - PIECE_SHIFT)];

    static {
        for (int j = 0; j < WEIGHTS.length; j++) {
            double lower = Double.longBitsToDouble((long) j << PIECE_SHIFT);
            WEIGHTS[j] = Double.isFinite(lower) ? klWeight(lower * (1 - WEIGHT_SHIFT) - 1) : 0.0;
        }
    }

    /**
     * {@code h(δ) = ((1 + δ) log(1 + δ) − δ) / δ²} ({@code 1/2} at 0, 1 at −1), decreasing on {@code [−1, ∞)}: the
     * Kullback–Leibler term {@code q·φ(δ)} of an entry {@code p = q(1 + δ)} is {@code q·h(δ)·δ²}. Near 0 its series
     * {@code 1/2 − δ/6 + δ²/12} (error below {@code 1e-17} for {@code |δ| < 1e-4}). StrictMath: the table is the
     * same on every JVM.
     */
    static double klWeight(double delta) {
        if (delta <= -1) {
            return 1.0;
        }
        if (Math.abs(delta) < 1e-4) {
            return 0.5 - delta / 6 + delta * delta / 12;
        }
        return ((1 + delta) * StrictMath.log1p(delta) - delta) / (delta * delta);
    }

    /** The weight of the piece of {@code ρ >= 0} (finite; {@code −0.0}, from a {@code −0.0f} entry, is piece 0). */
    static double weight(double rho) {
        return WEIGHTS[piece(rho)];
    }

    /** The index in {@link #weights} of {@code ρ}'s piece: the double's bits shifted right by 49, sign cleared. */
    static int piece(double rho) {
        return (int) (Double.doubleToRawLongBits(rho) >>> PIECE_SHIFT) & (WEIGHTS.length - 1);
    }

    /** {@link #WEIGHTS} itself, for {@link BaldBoundSimd}'s gather (not to be written). */
    static double[] weights() {
        return WEIGHTS;
    }

    /**
     * A log-free upper bound on each row's BALD, NaN for a row that is not a probability row. BALD is the mean over
     * passes of {@code KL(v_t ‖ m̄) = Σ_c m̄_c·φ(δ_tc) + (Σ v_t − Σ m̄)}, {@code δ = v/m̄ − 1},
     * {@code φ(δ) = (1 + δ) log(1 + δ) − δ = h(δ)·δ²} with {@code h} decreasing; so
     * {@code BALD ≤ (1/T) Σ_t Σ_c w(ρ_tc)·(v_tc − m̄_c)²/m̄_c} with {@code w} the weight of {@code ρ = v/m̄}'s piece
     * ({@link #weight}), plus the margin of {@link #baldBoundMargin}. Two sweeps per block of rows, like MeanSTD:
     * the first normalises each pass's rows into a buffer ({@code T·rows·K} doubles, {@link #baldBlockRows}) and
     * takes their mean, the second runs flat over that buffer (the weighted squared deviations, summed over passes per
     * entry), so that no value is loaded or normalised twice. When {@code in.checked()} the model vouches for its rows
     * ({@link dev.al4j.core.RowArrays.SharedRows#checked}): the first sweep neither checks nor tests them. With
     * {@link Simd#ENABLED} (and once this JVM has run {@link #BALD_SIMD_AFTER} values through the scalar sweeps) the
     * second sweep runs {@link BaldBoundSimd#weightedSquares}, whose lanes do the scalar
     * loop's operations in its order (the same bits), and the first sweep of checked rows
     * {@link BaldBoundSimd#normalise}, which sums each row in another order (the second term of
     * {@link #baldBoundMargin}). Measured (benchmarks/README.md, issue-16 BALD section): at {@code n = 10⁶, K = 10,
     * T = 20} the query's CPU time went from about 700 to 400 ms with both kernels.
     */
    static double[] baldBounds(QueryOutputs.InPlaceRows in, int n, int k) {
        return baldBounds(in, n, k, BALD_GATE.simd((long) n * k * in.values().length));
    }

    /**
     * The values (rows × classes × passes) this JVM's BALD bounds take through the scalar sweeps before
     * {@link BaldBoundSimd} runs: about 17 queries of the SCAL setting, two at {@code n = 10⁶}. Why: until C2 has
     * compiled them, the Vector API's operations run as interpreted Java (an object per vector): the first call of
     * the SIMD sweeps at {@code n = 10⁴} took 1.5 s against 0.13 s for the scalar ones, the second 0.12 s, then
     * 4–9 ms against 8–17 ms (2026-12-07, loaded). So a one-shot query (a cold {@code al4j select}) stays scalar and a
     * long-running loop pays that first slow call once, after the threshold.
     */
    static final long BALD_SIMD_AFTER = 1L << 25;

    private static final Simd.Gate BALD_GATE = new Simd.Gate(BALD_SIMD_AFTER, () -> warmUpBald());

    /**
     * The warm-up of {@link #BALD_GATE}: {@link #baldBounds} with the SIMD sweeps ({@link BaldBoundSimd}) on made-up
     * checked passes, 300 rounds.
     */
    static void warmUpBald() {
        int k = 10;
        int n = 512;
        int t = 20;
        float[][] passes = new float[t][];
        for (int pass = 0; pass < t; pass++) {
            passes[pass] = WarmUpRows.probabilities(n, k, pass + 1);
        }
        QueryOutputs.InPlaceRows rows = new QueryOutputs.InPlaceRows(passes, new int[t], null, false, true);
        for (int round = 0; round < 300; round++) {
            baldBounds(rows, n, k, true);
        }
    }

    /**
     * The entropy pass's gate ({@link Simd.Gate}): about 3 queries at {@code n = 10⁶, K = 10}, 335 at 10⁴; then
     * {@link GroupedMassSimd}'s warm-up on a daemon thread.
     */
    private static final Simd.Gate ENTROPY_GATE = new Simd.Gate(1L << 25, () -> GroupedMassSimd.warmUp());

    /** {@link #baldBounds}, with the second sweep's SIMD kernel on or off (tests run both). */
    static double[] baldBounds(QueryOutputs.InPlaceRows in, int n, int k, boolean simdEnabled) {
        float[][] passes = in.values();
        int[] offsets = in.offsets();
        int[] ids = in.rows(); // null: row i is at offsets[t] + i·k
        boolean checked = in.checked();
        int t = passes.length;
        int block = baldBlockRows(t, k);
        double[] out = new double[n];
        UncertaintyScores.forRowRanges(n, 2L * t * k, (from, to) -> {
            int stride = block * k; // the buffer holds pass `pass`'s entry j of the block at pass·stride + j
            double[] values = new double[t * stride + PAD]; // PAD: BaldBoundSimd.normalise's room past the rows
            double[] mean = new double[stride + PAD];
            double[] reciprocal = new double[stride];
            double[] bound = new double[stride];
            boolean[] valid = new boolean[block];
            double invT = 1.0 / t;
            for (int i0 = from; i0 < to; i0 += block) {
                int rows = Math.min(block, to - i0);
                int size = rows * k;
                Arrays.fill(valid, 0, rows, true);
                Arrays.fill(mean, 0.0);
                for (int pass = 0; pass < t; pass++) {
                    float[] p = passes[pass];
                    int base = offsets[pass];
                    int into = pass * stride;
                    if (simdEnabled && checked) {
                        BaldBoundSimd.normalise(p, base, ids, k, i0, rows, values, into, mean);
                        continue;
                    }
                    for (int r = 0; r < rows; r++) {
                        int at = base + (ids == null ? i0 + r : ids[i0 + r]) * k;
                        double sum;
                        if (checked) {
                            sum = 0; // the sum of checkedRowSum, whose tests the model's rows passed
                            for (int c = 0; c < k; c++) {
                                sum += p[at + c];
                            }
                        } else {
                            sum = QueryOutputs.checkedRowSum(p, at, k);
                            valid[r] &= Math.abs(sum - 1) <= Checks.ROW_SUM_TOLERANCE;
                        }
                        double inv = 1.0 / sum;
                        int off = r * k;
                        for (int c = 0; c < k; c++) {
                            double v = p[at + c] * inv; // the bits of loadNormalised
                            values[into + off + c] = v;
                            mean[off + c] += v;
                        }
                    }
                }
                // The passes summed in order, times 1/T: the bits of accumulateBlock's mean.
                for (int j = 0; j < size; j++) {
                    double m = mean[j] * invT;
                    mean[j] = m;
                    reciprocal[j] = m > 0 ? 1.0 / m : 0.0; // m = 0: every pass is 0 there, the term is 0
                }
                if (simdEnabled) {
                    BaldBoundSimd.weightedSquares(values, stride, t, mean, reciprocal, size, bound);
                } else {
                    weightedSquares(values, stride, t, mean, reciprocal, 0, size, bound);
                }
                for (int r = 0; r < rows; r++) {
                    double b = 0;
                    for (int c = 0; c < k; c++) {
                        b += bound[r * k + c];
                    }
                    out[i0 + r] = valid[r] ? b * invT : Double.NaN;
                }
            }
        });
        return out;
    }

    /** Room past the last pass in the buffer of {@link #baldBounds}: {@link BaldBoundSimd}'s widest vector. */
    private static final int PAD = 64;

    /** The doubles a block's buffer of normalised passes may hold (256 KB), unless a block of 8 rows needs more. */
    static final int BALD_BUFFER = 1 << 15;

    /** Rows per block of {@link #baldBounds}: as many as fit {@link #BALD_BUFFER}, from 8 to 256. */
    static int baldBlockRows(int t, int k) {
        return (int) Math.max(8, Math.min(UncertaintyScores.BLOCK_ROWS, BALD_BUFFER / ((long) t * k)));
    }

    /**
     * The second sweep of {@link #baldBounds} over entries {@code from} to {@code to} of a block:
     * {@code bound[j] = Σ_pass w(v·q)·((v − m)²·q)}, {@code v = values[pass·stride + j]}, {@code m = mean[j]},
     * {@code q = reciprocal[j]}, summed over the passes in order; {@link BaldBoundSimd} is its SIMD twin.
     */
    static void weightedSquares(double[] values, int stride, int t, double[] mean, double[] reciprocal, int from,
            int to, double[] bound) {
        for (int j = from; j < to; j++) {
            double m = mean[j];
            double q = reciprocal[j];
            double b = 0;
            for (int pass = 0; pass < t; pass++) {
                double v = values[pass * stride + j];
                double d = v - m;
                b += weight(v * q) * (d * d * q);
            }
            bound[j] = b;
        }
    }

    /**
     * Whether a row whose entries passed the range test and whose sum, added in another order than the kernels', is
     * {@code sum}, passes the kernels' test {@code |Σ − 1| <= tol} ({@link QueryOutputs#checkedRowSum}, class order):
     * the two sums differ by far less than {@code 1e-9}, so only a sum that close to the edge is added again in order.
     */
    static boolean isProbabilitySum(double sum, float[] p, int at, int k) {
        double off = Math.abs(sum - 1);
        if (Math.abs(off - Checks.ROW_SUM_TOLERANCE) > 1e-9) {
            return off <= Checks.ROW_SUM_TOLERANCE; // false for NaN
        }
        return Math.abs(QueryOutputs.checkedRowSum(p, at, k) - 1) <= Checks.ROW_SUM_TOLERANCE;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /**
     * The positions (ascending) of the {@code count} largest entries of {@code values}; among the entries equal to
     * the {@code count}-th largest, the lowest positions.
     */
    static int[] best(double[] values, int count) {
        if (count == 0) {
            return new int[0];
        }
        double kth = TopK.kthLargest(values, count);
        int above = 0;
        for (double v : values) {
            above += v > kth ? 1 : 0;
        }
        int ties = count - above; // the lowest positions among the entries equal to the count-th
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < values.length && j < count; i++) {
            if (values[i] > kth || (values[i] == kth && ties-- > 0)) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** The positions of the entries {@code >= limit}, ascending. */
    static int[] atLeast(double[] values, double limit) {
        int count = 0;
        for (double v : values) {
            if (v >= limit) {
                count++;
            }
        }
        int[] out = new int[count];
        for (int i = 0, j = 0; j < count; i++) {
            if (values[i] >= limit) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** {@code ids[positions[j]]} for each {@code j}: the pool ids of the rows kept. */
    static int[] at(int[] ids, int[] positions) {
        int[] out = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            out[j] = ids[positions[j]];
        }
        return out;
    }

}
