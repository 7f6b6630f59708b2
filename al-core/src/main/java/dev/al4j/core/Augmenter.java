package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random label-preserving transformations of inputs (flips, crops, shifts, ...), for strategies that look at a
 * model's predictions on perturbed copies of a sample (Ask-n-Learn).
 *
 * <p>Each row gets its own seed so that a sample's augmented copy depends only on that seed, not on which other
 * samples share its batch or in what order: a strategy derives the seeds from its own seed and the pool ids, which
 * keeps its selection independent of the candidates' order. Implementations are immutable and thread-safe, and
 * {@code augment} is a pure function of its arguments.
 *
 * <pre>{@code
 * Augmenter flips = ImageAugmenter.of(1, 28, 28).withMaxShift(2);
 * INDArray copies = flips.augment(pool.requireInputs("me").rows(ids), seeds);
 * }</pre>
 */
@FunctionalInterface
public interface Augmenter {

    /**
     * A transformed copy of every input.
     *
     * @param inputs {@code [n, sampleShape...]}; not modified
     * @param seeds one seed per row ({@code n} of them)
     * @return a new array of the same shape and data type
     */
    INDArray augment(INDArray inputs, long[] seeds);
}
