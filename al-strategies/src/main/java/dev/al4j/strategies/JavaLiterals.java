package dev.al4j.strategies;

/** Java source literals for {@code toString()} methods that echo how an object was built. */
final class JavaLiterals {

    private JavaLiterals() {}

    /** {@code 7} for 7, {@code 8000000000L} for a value outside the int range: both compile as a long argument. */
    static String ofLong(long value) {
        return value == (int) value ? Long.toString(value) : value + "L";
    }
}
