package dev.al4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inputs of a {@link Pool}, read by pool id in batches.
 *
 * <p>This small interface lets a pool live in memory (the first implementation, {@link #of(INDArray)}), on disk or
 * in a cluster. Implementations must be immutable and thread-safe.
 */
public interface PoolInputs {

    /** Number of samples; ids are {@code 0..size()-1}. */
    int size();

    /** Shape of one sample, without the leading sample dimension (e.g. {@code [784]} or {@code [1, 28, 28]}). */
    long[] sampleShape();

    /**
     * The inputs of the given ids, stacked along a new first dimension in the order given.
     *
     * @param ids pool ids, each in {@code [0, size())}
     * @return a new array of shape {@code [ids.length, sampleShape...]}
     */
    INDArray rows(int[] ids);

    /**
     * In-memory inputs over {@code inputs}, whose first dimension is the sample. The array is not copied: the
     * caller must not modify it afterwards.
     */
    static PoolInputs of(INDArray inputs) {
        return new InMemoryInputs(inputs);
    }

    /** The in-memory implementation. */
    final class InMemoryInputs implements PoolInputs {
        private final INDArray inputs;

        private InMemoryInputs(INDArray inputs) {
            Checks.checkNotNull(inputs, "inputs");
            Checks.checkArgument(inputs.rank() >= 2, "inputs must have rank >= 2 (sample first), found shape %s",
                    Arrays.toString(inputs.shape()));
            Checks.checkArgument(inputs.size(0) <= Integer.MAX_VALUE, "inputs must have at most %d samples, found %d",
                    Integer.MAX_VALUE, inputs.size(0));
            this.inputs = inputs;
        }

        @Override
        public int size() {
            return (int) inputs.size(0);
        }

        @Override
        public long[] sampleShape() {
            return Arrays.copyOfRange(inputs.shape(), 1, inputs.rank());
        }

        @Override
        public INDArray rows(int[] ids) {
            Checks.checkNotNull(ids, "ids");
            for (int i = 0; i < ids.length; i++) {
                Checks.checkId(ids[i], size(), "ids[" + i + "]");
            }
            long[] shape = inputs.shape().clone();
            shape[0] = ids.length;
            if (ids.length == 0) {
                return Nd4j.create(inputs.dataType(), shape);
            }
            INDArray flat = inputs.rank() == 2 ? inputs : inputs.reshape('c', inputs.size(0), -1);
            INDArray picked = Nd4j.pullRows(flat, 1, ids);
            return inputs.rank() == 2 ? picked : picked.reshape('c', shape);
        }

        @Override
        public String toString() {
            return "PoolInputs.of(" + Arrays.toString(inputs.shape()) + " " + inputs.dataType() + ")";
        }
    }
}
