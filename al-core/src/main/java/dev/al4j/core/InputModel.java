package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Model} that can also run on inputs that are not pool samples, such as augmented copies of them.
 * Ask-n-Learn's pseudo-labelling needs it: it averages the model's predictions over augmented copies of an input.
 *
 * <p>Pool ids are the rule everywhere else (DESIGN.md rule 1); this capability is the one exception, for inputs that
 * exist only inside a query. A model backed by a network (al-dl4j) implements it by running the network on the
 * array; a {@link PrecomputedModel} cannot.
 */
public interface InputModel extends Model {

    /**
     * Class probabilities of inputs shaped like the pool's samples.
     *
     * @param inputs {@code [n, sampleShape...]}, the layout of {@link PoolInputs#rows(int[])}
     * @return {@code [n, K]}, rows summing to 1, in the order of {@code inputs}
     */
    INDArray probabilities(INDArray inputs);
}
