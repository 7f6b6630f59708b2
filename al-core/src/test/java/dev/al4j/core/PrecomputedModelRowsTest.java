package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rows {@link PrecomputedModel} gathers in Java ({@link RowTable}) against what ND4J gives on the same arrays:
 * {@code Nd4j.pullRows} for the probabilities, and the former permute / pull / slice / permute path (written below as
 * the naive reference) for the MC passes; bit for bit, for float and double arrays, C- and F-order inputs and views,
 * and id lists of every shape (random with repeats, sorted, permutations, one id, both ends).
 */
class PrecomputedModelRowsTest {

    private static final int N = 37;
    private static final int K = 5;
    private static final int T = 4;

    @Test
    void probabilitiesEqualPullRowsForEveryIdListAndLayout() {
        SplittableRandom random = new SplittableRandom(11);
        for (INDArray source : probabilityLayouts(random)) {
            PrecomputedModel model = PrecomputedModel.builder(source).embeddings(Nd4j.rand(DataType.FLOAT, N, 3))
                    .build();
            Pool pool = Pool.withoutInputs(N, K);
            for (int[] ids : idLists(random)) {
                INDArray expected = Nd4j.pullRows(source, 1, ids);
                INDArray actual = model.probabilities(pool, ids);
                String what = source.dataType() + " " + source.ordering() + (source.isView() ? " view" : "");
                assertEquals(expected.dataType(), actual.dataType(), what);
                assertArrayEquals(expected.shape(), actual.shape(), what);
                assertBitsEqual(expected, actual, what);
                assertArrayEquals(floats(expected), model.probabilityRows(pool, ids), what);
                assertBitsEqual(expected, model.predict(pool, ids).probabilities(), what);
            }
        }
    }

    @Test
    void embeddingRowsEqualPullRowsForEveryIdListAndLayout() {
        SplittableRandom random = new SplittableRandom(13);
        // d = 7: no multiple of any vector width; the layouts are those of the probabilities (C, F, a view, a strided
        // view, half precision) over Gaussian values.
        for (INDArray source : embeddingLayouts(random, 7)) {
            PrecomputedModel model = PrecomputedModel.builder(probabilities(random, DataType.FLOAT)).embeddings(source)
                    .build();
            Pool pool = Pool.withoutInputs(N, K);
            String what = source.dataType() + " " + source.ordering() + (source.isView() ? " view" : "");
            for (int[] ids : idLists(random)) {
                float[] expected = floats(Nd4j.pullRows(source, 1, ids));
                // A buffer longer than needed: the rows go to its start, the rest is left alone.
                float[] buffer = new float[expected.length + 3];
                java.util.Arrays.fill(buffer, -7f);
                assertTrue(model.embeddingRows(pool, ids, buffer), what);
                assertArrayEquals(expected, java.util.Arrays.copyOf(buffer, expected.length), what);
                assertArrayEquals(new float[] {-7f, -7f, -7f},
                        java.util.Arrays.copyOfRange(buffer, expected.length, buffer.length), what);
                assertArrayEquals(expected, floats(model.predict(pool, ids).embeddings()), what);
            }
            assertTrue(model.embeddingRows(pool, new int[0], new float[0]));
        }
    }

    @Test
    void embeddingRowsValidateAsPredictDoes() {
        Pool pool = Pool.withoutInputs(N, K);
        PrecomputedModel plain = PrecomputedModel.of(probabilities(new SplittableRandom(7), DataType.FLOAT));
        assertThrows(IllegalStateException.class, () -> plain.embeddingRows(pool, new int[] {0}, new float[3]));
        PrecomputedModel model = PrecomputedModel.builder(probabilities(new SplittableRandom(8), DataType.FLOAT))
                .embeddings(Nd4j.rand(DataType.FLOAT, N, 3)).build();
        assertThrows(IndexOutOfBoundsException.class, () -> model.embeddingRows(pool, new int[] {0, N}, new float[6]));
        assertThrows(IndexOutOfBoundsException.class, () -> model.embeddingRows(pool, new int[] {-1}, new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> model.embeddingRows(Pool.withoutInputs(N + 1, K), new int[] {0}, new float[3]));
        assertThrows(NullPointerException.class, () -> model.embeddingRows(pool, null, new float[3]));
        assertThrows(NullPointerException.class, () -> model.embeddingRows(pool, new int[] {0}, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.embeddingRows(pool, new int[] {0, 1}, new float[5]));
        assertTrue(e.getMessage().contains("destination") && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void stochasticPassesEqualTheNd4jPathForEveryIdListAndLayout() {
        SplittableRandom random = new SplittableRandom(12);
        for (INDArray mc : sampleLayouts(random)) {
            PrecomputedModel model = PrecomputedModel.builder(probabilities(random, DataType.FLOAT))
                    .mcProbabilities(mc).build();
            Pool pool = Pool.withoutInputs(N, K);
            String what = mc.dataType() + " " + mc.ordering() + (mc.isView() ? " view" : "");
            for (int[] ids : idLists(random)) {
                for (int passes : new int[] {1, T - 1, T}) {
                    INDArray expected = formerStochastic(mc, ids, passes);
                    INDArray actual = model.stochasticProbabilities(pool, ids, passes, 99);
                    assertEquals(expected.dataType(), actual.dataType(), what);
                    assertArrayEquals(expected.shape(), actual.shape(), what);
                    assertBitsEqual(expected, actual, what);
                    float[][] rows = model.stochasticProbabilityRows(pool, ids, passes, 99);
                    assertEquals(passes, rows.length);
                    for (int t = 0; t < passes; t++) {
                        assertArrayEquals(floats(expected.slice(t)), rows[t], what + " pass " + t);
                    }
                }
            }
        }
    }

    /** The values lent by {@code shared} for the rows of {@code ids} in pass {@code t}, gathered by id. */
    private static float[] lent(RowArrays.SharedRows shared, int t, int[] ids) {
        float[] out = new float[ids.length * K];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(shared.values(), shared.offsets()[t] + ids[i] * K, out, i * K, K);
        }
        return out;
    }

    @Test
    void sharedRowsReadByIdAreTheRowsOfFloatArrays() {
        SplittableRandom random = new SplittableRandom(14);
        for (INDArray mc : sampleLayouts(random)) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                PrecomputedModel model = PrecomputedModel.builder(probabilities(random, type)).mcProbabilities(mc)
                        .build();
                Pool pool = Pool.withoutInputs(N, K);
                String what = type + " probabilities, " + mc.dataType() + " passes";
                for (int[] ids : idLists(random)) {
                    var p = model.sharedProbabilityRows(pool, ids);
                    // Lent exactly when the model keeps floats; read by id, the values are those of the copies.
                    assertEquals(type == DataType.FLOAT, p.isPresent(), what);
                    p.ifPresent(shared -> assertTrue(shared.checked(), what));
                    p.ifPresent(shared -> assertArrayEquals(model.probabilityRows(pool, ids), lent(shared, 0, ids),
                            what));
                    for (int passes : new int[] {1, T}) {
                        var s = model.sharedStochasticRows(pool, ids, passes, 7);
                        assertEquals(mc.dataType() == DataType.FLOAT, s.isPresent(), what);
                        if (s.isPresent()) {
                            float[][] rows = model.stochasticProbabilityRows(pool, ids, passes, 7);
                            assertEquals(passes, s.get().offsets().length);
                            for (int t = 0; t < passes; t++) {
                                assertArrayEquals(rows[t], lent(s.get(), t, ids), what + " pass " + t);
                            }
                        }
                    }
                }
            }
        }
        PrecomputedModel plain = PrecomputedModel.of(probabilities(random, DataType.FLOAT));
        Pool pool = Pool.withoutInputs(N, K);
        assertTrue(plain.sharedProbabilityRows(pool, new int[0]).isPresent());
        assertThrows(IndexOutOfBoundsException.class, () -> plain.sharedProbabilityRows(pool, new int[] {N - 1, N}));
        assertThrows(IllegalStateException.class, () -> plain.sharedStochasticRows(pool, new int[] {0}, 1, 0));
        assertThrows(NullPointerException.class, () -> new RowArrays.SharedRows(null, new int[1], false));
    }

    @Test
    void theModelOwnsItsCopyAndTheRowsItHandsOut() {
        INDArray source = probabilities(new SplittableRandom(3), DataType.FLOAT);
        PrecomputedModel model = PrecomputedModel.of(source);
        Pool pool = Pool.withoutInputs(N, K);
        float[] before = model.probabilityRows(pool, new int[] {0, 1});
        source.putScalar(0, 0, 7f); // the caller changes its array after the build
        model.probabilityRows(pool, new int[] {0})[0] = -1f; // and a returned array
        model.probabilities(pool, new int[] {0}).putScalar(0, 0, -2f);
        assertArrayEquals(before, model.probabilityRows(pool, new int[] {0, 1}));
    }

    @Test
    void rowArraysValidateAsTheArrayMethodsDo() {
        PrecomputedModel plain = PrecomputedModel.of(probabilities(new SplittableRandom(4), DataType.DOUBLE));
        Pool pool = Pool.withoutInputs(N, K);
        assertThrows(IllegalStateException.class, () -> plain.stochasticProbabilityRows(pool, new int[] {0}, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> plain.probabilityRows(pool, new int[] {0, N}));
        assertThrows(IndexOutOfBoundsException.class, () -> plain.probabilityRows(pool, new int[] {-1}));
        // The first bad id is named, wherever it is and whatever its value (the check is one OR over every id).
        for (int bad : new int[] {-1, N, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            int[] ids = {0, 1, N - 1, bad, 2, bad};
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> plain.probabilityRows(pool, ids));
            assertTrue(e.getMessage().contains("ids[3]") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
        assertEquals(2 * K, plain.probabilityRows(pool, new int[] {0, N - 1}).length);
        assertThrows(IllegalArgumentException.class,
                () -> plain.probabilityRows(Pool.withoutInputs(N + 1, K), new int[] {0}));
        assertThrows(NullPointerException.class, () -> plain.probabilityRows(pool, null));
        assertEquals(0, plain.probabilityRows(pool, new int[0]).length);
        assertArrayEquals(new long[] {0, K}, plain.probabilities(pool, new int[0]).shape());
        PrecomputedModel mc = PrecomputedModel.builder(probabilities(new SplittableRandom(5), DataType.FLOAT))
                .mcProbabilities(samples(new SplittableRandom(6), DataType.FLOAT)).build();
        assertThrows(IllegalArgumentException.class, () -> mc.stochasticProbabilityRows(pool, new int[] {0}, T + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> mc.stochasticProbabilityRows(pool, new int[] {0}, 0, 0));
        assertArrayEquals(new long[] {2, 0, K}, mc.stochasticProbabilities(pool, new int[0], 2, 0).shape());
    }

    /** The MC path as {@code PrecomputedModel} computed it before rows were gathered in Java (the naive reference). */
    private static INDArray formerStochastic(INDArray mc, int[] ids, int passes) {
        long t = mc.size(0);
        INDArray samplesByRow = mc.permute(1, 0, 2).dup('c').reshape('c', N, t * K);
        INDArray rows = Nd4j.pullRows(samplesByRow, 1, ids).reshape('c', ids.length, t, K);
        INDArray firstPasses = rows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, passes), NDArrayIndex.all());
        return firstPasses.permute(1, 0, 2).dup('c');
    }

    private static List<INDArray> probabilityLayouts(SplittableRandom random) {
        List<INDArray> out = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray c = probabilities(random, type);
            out.add(c);
            out.add(c.dup('f'));
            // a view: rows 3 .. 3 + N of a taller array
            INDArray tall = Nd4j.vstack(probabilities(random, type).get(NDArrayIndex.interval(0, 3)), c,
                    probabilities(random, type).get(NDArrayIndex.interval(0, 2)));
            out.add(tall.get(NDArrayIndex.interval(3, 3 + N), NDArrayIndex.all()));
            // a strided view: the transpose of an F-order [K, N] array
            out.add(c.transpose().dup('c').transpose());
        }
        out.add(probabilities(random, DataType.HALF));
        return out;
    }

    private static List<INDArray> embeddingLayouts(SplittableRandom random, int d) {
        List<INDArray> out = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray c = gaussian(random, N, d).castTo(type);
            out.add(c);
            out.add(c.dup('f'));
            INDArray tall = Nd4j.vstack(gaussian(random, 3, d).castTo(type), c, gaussian(random, 2, d).castTo(type));
            out.add(tall.get(NDArrayIndex.interval(3, 3 + N), NDArrayIndex.all()));
            out.add(c.transpose().dup('c').transpose());
        }
        out.add(gaussian(random, N, d).castTo(DataType.HALF));
        return out;
    }

    private static INDArray gaussian(SplittableRandom random, int rows, int d) {
        double[][] v = new double[rows][d];
        for (double[] row : v) {
            for (int k = 0; k < d; k++) {
                row[k] = TestModels.gaussian(random);
            }
        }
        return Nd4j.create(v);
    }

    private static List<INDArray> sampleLayouts(SplittableRandom random) {
        List<INDArray> out = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray c = samples(random, type);
            out.add(c);
            out.add(c.dup('f'));
            // a view: passes 1 .. T of a [T + 1, N, K] array
            INDArray more = Nd4j.concat(0, samples(random, type).get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                    NDArrayIndex.all()), c);
            out.add(more.get(NDArrayIndex.interval(1, T + 1), NDArrayIndex.all(), NDArrayIndex.all()));
            out.add(c.permute(1, 0, 2).dup('c').permute(1, 0, 2)); // the layout the model used to keep
        }
        return out;
    }

    /** Random with repeats, sorted, a permutation, one id, both ends, all in order, a run then a jump. */
    private static List<int[]> idLists(SplittableRandom random) {
        List<int[]> out = new ArrayList<>();
        int[] withRepeats = random.ints(25, 0, N).toArray();
        out.add(withRepeats);
        out.add(random.ints(12, 0, N).sorted().distinct().toArray());
        int[] permutation = java.util.stream.IntStream.range(0, N).toArray();
        for (int i = N - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        out.add(permutation);
        out.add(new int[] {random.nextInt(N)});
        out.add(new int[] {0});
        out.add(new int[] {N - 1});
        out.add(new int[] {N - 1, 0});
        out.add(new int[] {0, N - 1});
        out.add(java.util.stream.IntStream.range(0, N).toArray());
        out.add(new int[] {3, 4, 5, 9, 10, 2, 3, N - 2, N - 1});
        return out;
    }

    private static INDArray probabilities(SplittableRandom random, DataType type) {
        return Nd4j.create(TestModels.softmaxRows(N, K, 2.0, random)).castTo(type);
    }

    private static INDArray samples(SplittableRandom random, DataType type) {
        INDArray mc = Nd4j.create(type, T, N, K);
        for (int t = 0; t < T; t++) {
            mc.putSlice(t, Nd4j.create(TestModels.softmaxRows(N, K, 2.0, random)).castTo(type));
        }
        return mc;
    }

    /** The values in C order as floats, converted by ND4J ({@code castTo}), as the strategies used to read them. */
    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static void assertBitsEqual(INDArray expected, INDArray actual, String what) {
        if (expected.dataType() == DataType.DOUBLE) {
            assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble(), what);
        } else {
            assertArrayEquals(floats(expected), floats(actual), what);
        }
    }
}
