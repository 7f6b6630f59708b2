package dev.al4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One partition's candidates for BADGE, cached: ids (ascending when the rows were sorted), the features {@code z}
 * ({@code n·d} floats), the residuals {@code a = p − onehot(argmax p)} ({@code n·K} floats), {@code ‖g‖² = ‖a‖²‖z‖²},
 * and each row's {@code D²}, the squared gradient-embedding distance to its nearest centre, with that centre's index.
 * The gradient embeddings {@code g = a ⊗ z} are never formed: {@code ‖g_i − g_c‖² = ‖g_i‖² + ‖g_c‖² −
 * 2(a_i·a_c)(z_i·z_c)}, clamped at 0, in the arithmetic of al-strategies' {@code BadgeSampling} (dot products of
 * {@code z} summed in float, of {@code a} and the norms in double). The minima are a memo, as in
 * {@link KCenterOnSpark.Block}: a recomputed block starts at {@code stamp = 0} and catches up.
 */
final class GradientBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final long[] ids;
    final float[] z;
    final float[] a;
    final double[] gNorms;
    final double[] d2;
    final int[] nearest;
    final boolean[] picked;
    final int d;
    final int k;
    int stamp;

    GradientBlock(long[] ids, float[] z, float[] a, int d, int k) {
        this.ids = ids;
        this.z = z;
        this.a = a;
        this.d = d;
        this.k = k;
        int n = ids.length;
        this.gNorms = new double[n];
        for (int i = 0; i < n; i++) {
            gNorms[i] = squaredNorm(a, i * k, k) * squaredNorm(z, i * d, d);
        }
        this.d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        this.nearest = new int[n];
        Arrays.fill(nearest, -1);
        this.picked = new boolean[n];
    }

    static double squaredNorm(float[] v, int offset, int len) {
        double s = 0;
        for (int c = 0; c < len; c++) {
            double x = v[offset + c];
            s += x * x;
        }
        return s;
    }

    /** The residuals {@code p − onehot(argmax p)} of one row (ties toward the lower class), as BadgeSampling. */
    static float[] residual(float[] p) {
        float[] a = p.clone();
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        a[best] -= 1f;
        return a;
    }

    /** Reads the unlabeled rows {@code (id, probabilities, embeddings)} of a partition. */
    static GradientBlock read(Iterator<Row> it, long[] labeled, String probs, String emb, int k, int d) {
        List<Long> ids = new ArrayList<>();
        float[] z = new float[256 * d];
        float[] a = new float[256 * k];
        while (it.hasNext()) {
            Row row = it.next();
            long id = RowValues.id(row, 0);
            if (Inputs.isLabeled(labeled, id)) {
                continue;
            }
            int n = ids.size();
            if ((n + 1) * d > z.length || (n + 1) * k > a.length) {
                z = Arrays.copyOf(z, Math.max(z.length * 2, (n + 1) * d));
                a = Arrays.copyOf(a, Math.max(a.length * 2, (n + 1) * k));
            }
            RowValues.copy(residual(RowValues.flat(row, 1, probs, id)), a, n * k);
            RowValues.copy(RowValues.flat(row, 2, emb, id), z, n * d);
            ids.add(id);
        }
        long[] out = ids.stream().mapToLong(Long::longValue).toArray();
        return new GradientBlock(out, Arrays.copyOf(z, out.length * d), Arrays.copyOf(a, out.length * k), d, k);
    }

    /** Centres: row-major residuals ({@code c·K}), features ({@code c·d}), squared norms and ids. */
    record Centres(float[] a, float[] z, double[] g, long[] ids) implements Serializable {
        int size() {
            return ids.length;
        }

        Centres plus(Candidate c) {
            int n = size();
            float[] na = Arrays.copyOf(a, a.length + c.a().length);
            System.arraycopy(c.a(), 0, na, a.length, c.a().length);
            float[] nz = Arrays.copyOf(z, z.length + c.z().length);
            System.arraycopy(c.z(), 0, nz, z.length, c.z().length);
            double[] ng = Arrays.copyOf(g, n + 1);
            ng[n] = c.gNorm();
            long[] ni = Arrays.copyOf(ids, n + 1);
            ni[n] = c.id();
            return new Centres(na, nz, ng, ni);
        }

        static Centres none() {
            return new Centres(new float[0], new float[0], new double[0], new long[0]);
        }
    }

    /** A candidate row with its residual, features, {@code ‖g‖²} and a value (its {@code D²} or {@code ‖g‖²}). */
    record Candidate(long id, float[] a, float[] z, double gNorm, double value) implements Serializable {}

    Candidate candidate(int i, double value) {
        return new Candidate(ids[i], Arrays.copyOfRange(a, i * k, (i + 1) * k),
                Arrays.copyOfRange(z, i * d, (i + 1) * d), gNorms[i], value);
    }

    /** The row of largest {@code ‖g‖}, ties toward the lower id; null when empty. */
    Candidate largestGradient() {
        int best = -1;
        for (int i = 0; i < ids.length; i++) {
            if (best < 0 || gNorms[i] > gNorms[best] || (gNorms[i] == gNorms[best] && ids[i] < ids[best])) {
                best = i;
            }
        }
        return best < 0 ? null : candidate(best, gNorms[best]);
    }

    /**
     * Brings {@code D²} up to date against the centres added since the last call; the rows whose ids are in
     * {@code pickedSorted} are picked ({@code D² = 0}, never updated again), as in BadgeSampling.
     */
    synchronized void refresh(Centres centres, long[] pickedSorted) {
        for (int i = 0; i < ids.length; i++) {
            if (!picked[i] && pickedSorted != null && Inputs.isLabeled(pickedSorted, ids[i])) {
                picked[i] = true;
                d2[i] = 0;
            }
        }
        for (int j = stamp; j < centres.size(); j++) {
            double gc = centres.g()[j];
            int ac = j * k;
            int zc = j * d;
            for (int i = 0; i < ids.length; i++) {
                if (picked[i]) {
                    continue;
                }
                float dot = 0f;
                for (int c = 0; c < d; c++) {
                    dot += z[i * d + c] * centres.z()[zc + c];
                }
                double aa = 0;
                for (int c = 0; c < k; c++) {
                    aa += (double) a[i * k + c] * centres.a()[ac + c];
                }
                double v = Math.max(0.0, gNorms[i] + gc - 2.0 * aa * dot);
                if (v < d2[i]) {
                    d2[i] = v;
                    nearest[i] = j;
                }
            }
        }
        stamp = centres.size();
    }

    /** {@code Σ D²} over the rows, in row order (picked rows count 0). */
    double sum() {
        double s = 0;
        for (double w : d2) {
            s += w;
        }
        return s;
    }

    /** The lowest id not picked; {@code Long.MAX_VALUE} when every row is picked. */
    long lowestUnpicked() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < ids.length; i++) {
            if (!picked[i]) {
                best = Math.min(best, ids[i]);
            }
        }
        return best;
    }

    /**
     * The D² draw inside this block: from the running sum {@code prefix}, the first row whose running sum exceeds
     * {@code u}; else the last row of positive weight (u rounded up to the total); null when none has weight.
     */
    Candidate draw(double prefix, double u) {
        double running = prefix;
        int last = -1;
        for (int i = 0; i < ids.length; i++) {
            if (d2[i] > 0) {
                running += d2[i];
                last = i;
                if (running > u) {
                    return candidate(i, d2[i]);
                }
            }
        }
        return last < 0 ? null : candidate(last, d2[last]);
    }

    /** The row of this id, or null. */
    Candidate find(long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return candidate(i, d2[i]);
            }
        }
        return null;
    }
}
