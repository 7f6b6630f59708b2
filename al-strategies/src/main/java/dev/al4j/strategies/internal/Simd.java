package dev.al4j.strategies.internal;

/**
 * Whether al4j's SIMD kernels run. They use the JDK's Vector API ({@code jdk.incubator.vector}), an incubator module
 * that a JVM resolves only when started with {@code --add-modules jdk.incubator.vector}: the {@code al4j} launcher,
 * the benchmarks and the tests add it; a library user adds it to their own JVM's options to get the SIMD kernels.
 * Without it every kernel runs its scalar twin, with the same selections (each SIMD kernel is tested against its
 * scalar twin and against the naive definition). {@code -Dal4j.simd=false} turns the SIMD kernels off.
 *
 * <p>Every class that names a {@code jdk.incubator.vector} type is loaded only behind {@link #ENABLED}, so a JVM
 * without the module never links one.
 */
public final class Simd {

    /** The system property that turns the SIMD kernels off when set to {@code false}. */
    public static final String PROPERTY = "al4j.simd";

    /** True when the Vector API module is present and {@value #PROPERTY} is not {@code false}. */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Simd() {}

    /**
     * When one SIMD kernel starts to run in this JVM: after its scalar twin has processed {@code after} values. Until
     * C2 has compiled them the Vector API's operations run as interpreted Java (an object per vector), so a kernel's
     * first SIMD calls are far slower than its scalar twin (BALD's bound at {@code n = 10⁴}: 1.5 s against 0.13 s;
     * SideBySide's cold entropy query 84–122 ms against 32 ms; the entropy screen at {@code n = 10⁴}: about 30 queries
     * of 50–180 ms against 2 ms, 2026-12-08): a one-shot query (a cold {@code al4j select}) stays scalar. A gate with a
     * warm-up does not hand that cost to the queries: once the count is reached it runs the warm-up (the kernel on
     * made-up data, until C2 has compiled it) on a daemon thread, and opens when the warm-up has finished; the queries
     * meanwhile keep running the scalar twin. A warm-up that throws leaves the gate closed (the scalar twin computes
     * the same selection). One gate per kernel; thread-safe.
     */
    public static final class Gate {
        private final long after;
        private final Runnable warmUp;
        private final java.util.concurrent.atomic.AtomicLong scalarValues = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicBoolean warming = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean open;

        /** A gate that opens after {@code after} values went through the scalar twin. */
        public Gate(long after) {
            this(after, null);
        }

        /**
         * A gate that, after {@code after} values went through the scalar twin, runs {@code warmUp} on a daemon thread
         * and opens when it returns ({@code null}: opens at once).
         */
        public Gate(long after, Runnable warmUp) {
            this.after = after;
            this.warmUp = warmUp;
        }

        /**
         * Whether a call over {@code values} values runs the SIMD kernel: {@link #ENABLED} and the gate is open;
         * otherwise the caller runs the scalar twin, and those values are counted.
         */
        public boolean simd(long values) {
            if (!ENABLED) {
                return false;
            }
            if (open) {
                return true;
            }
            if (scalarValues.get() >= after) {
                if (warmUp == null) {
                    open = true;
                    return true;
                }
                if (warming.compareAndSet(false, true)) {
                    Thread t = new Thread(() -> {
                        try {
                            warmUp.run();
                            open = true;
                        } catch (RuntimeException | LinkageError e) {
                            // stays closed: the scalar twin computes the same selection
                        }
                    }, "al4j-simd-warm-up");
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    t.start();
                }
                return false;
            }
            scalarValues.addAndGet(values);
            return false;
        }
    }
}
