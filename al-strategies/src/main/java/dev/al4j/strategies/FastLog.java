package dev.al4j.strategies;

/**
 * A natural logarithm to about {@code 1e-9}, two to three times cheaper than {@link Math#log} in scalar Java, for the
 * screening pass of {@link ScreenedTopK}: a table of 128 reciprocals and their logarithms plus a cubic, with no call,
 * no branch on the usual path and no {@code Math.fma} (whose software fallback is slow where the CPU lacks FMA).
 *
 * <p>Method (the classic table-driven reduction, Tang 1990): write {@code x = 2^e · z} with {@code z} in
 * {@code [√½, √2)}; the top 7 bits of {@code z}'s mantissa pick a table entry {@code c ≈ 1/z}; then
 * {@code log x = e·ln 2 − log c + log1p(r)} with {@code r = z·c − 1}, {@code |r| ≤ 2⁻⁷}, and {@code log1p(r)} its
 * Taylor series {@code r − r²/2 + r³/3}, whose truncation error is at most {@code |r|⁴/4 / (1 − |r|) < 9.5e-10}. The
 * entry whose interval holds 1 has {@code c = 1}, so near {@code x = 1} the result is {@code log1p(r)} with
 * {@code r} exact: no cancellation.
 *
 * <p>Accuracy: {@code |log x − FastLog.log x| ≤} {@link #ERROR_BOUND}{@code · (|log x| + 1)} for every positive
 * finite {@code x}: the truncation above plus a few roundings; {@code FastLogTest} measures below {@code 1e-9} over
 * dense samples of every binade and every table boundary. This is far from {@link Math#log}'s last bit, and need not
 * be closer: no score that a user sees is computed with it. It only screens rows, and {@link ScreenedTopK}
 * recomputes with {@code Math.log} every row the screen cannot rule out, with a margin built on this bound (a
 * degree-7 series, accurate to about {@code 1e-13}, made BALD's screen on the SCAL fixture about 20 % slower). Zero,
 * negative, subnormal, infinite and NaN arguments go to {@code Math.log}. Stateless and thread-safe.
 */
final class FastLog {

    /**
     * A bound on {@code |log x − FastLog.log x| / (|log x| + 1)} with a tenfold margin over the truncation error
     * ({@code < 9.5e-10}): the screens' error bounds build on it.
     */
    static final double ERROR_BOUND = 1e-8;

    private static final int BITS = 7;
    private static final int SIZE = 1 << BITS;
    /** The bits of √½: subtracting them moves {@code [√½, √2)} to the start of a binade. */
    private static final long OFFSET = 0x3fe6a09e667f3bcdL;
    private static final long EXPONENT_MASK = 0xfffL << 52;
    private static final double LN2 = 0.6931471805599453; // ln 2 rounded to double
    private static final double[] RECIPROCAL = new double[SIZE];
    private static final double[] MINUS_LOG_RECIPROCAL = new double[SIZE];

    static {
        long one = Double.doubleToRawLongBits(1.0);
        for (int i = 0; i < SIZE; i++) {
            long lo = OFFSET + ((long) i << (52 - BITS));
            long hi = lo + (1L << (52 - BITS));
            double centre = (Double.longBitsToDouble(lo) + Double.longBitsToDouble(hi)) / 2;
            // A float-precision reciprocal of the interval's centre; the interval holding 1 gets exactly 1.
            double c = (one >= lo && one < hi) ? 1.0 : (float) (1 / centre);
            RECIPROCAL[i] = c;
            // StrictMath: the table is the same on every JVM.
            MINUS_LOG_RECIPROCAL[i] = -StrictMath.log(c);
        }
    }

    private FastLog() {}

    /** The natural logarithm of {@code x}, within {@link #ERROR_BOUND}{@code · (|log x| + 1)}. */
    static double log(double x) {
        if (!(x >= Double.MIN_NORMAL && x <= Double.MAX_VALUE)) {
            return Math.log(x); // 0, negative, subnormal, infinite, NaN: rare, exact
        }
        long bits = Double.doubleToRawLongBits(x);
        long shifted = bits - OFFSET;
        int i = (int) (shifted >>> (52 - BITS)) & (SIZE - 1);
        long e = shifted >> 52; // arithmetic shift: the exponent of x relative to [√½, √2)
        double z = Double.longBitsToDouble(bits - (shifted & EXPONENT_MASK)); // in [√½, √2)
        // z·c is within 2⁻⁷ of 1, so subtracting 1 is exact (Sterbenz): r carries only the product's rounding.
        double r = z * RECIPROCAL[i] - 1.0;
        double r2 = r * r;
        double log1p = r + r2 * (-0.5 + r * (1.0 / 3)); // r − r²/2 + r³/3
        return (e * LN2 + MINUS_LOG_RECIPROCAL[i]) + log1p;
    }
}
