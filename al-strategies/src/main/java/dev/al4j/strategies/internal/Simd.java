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
}
