package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.internal.QueryOutputs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Outputs are read in chunks into tiles, and invalid outputs are rejected with a message naming id and value. */
class ModelOutputsTest {

    /** A model that returns fixed arrays, whatever it is asked: lets a test feed invalid outputs. */
    private static EmbeddingModel fixed(double[][] p, double[][] z) {
        return new EmbeddingModel() {
            @Override
            public int numClasses() {
                return p[0].length;
            }

            @Override
            public INDArray probabilities(Pool pool, int[] ids) {
                return Nd4j.create(p);
            }

            @Override
            public int embeddingSize() {
                return 2; // what the model promises; z may disagree
            }

            @Override
            public Predictions predict(Pool pool, int[] ids) {
                return new Predictions(Nd4j.create(p), Nd4j.create(z));
            }
        };
    }

    private static String rejection(double[][] p, double[][] z) {
        Pool pool = Pool.withoutInputs(2, 2);
        return assertThrows(IllegalArgumentException.class,
                () -> Strategies.badge().select(pool, fixed(p, z), 1)).getMessage();
    }

    @Test
    void invalidOutputsAreRejectedWithClearMessages() {
        double[][] z = {{1, 2}, {3, 4}};
        String m = rejection(new double[][] {{.5, .5}, {.75, .75}}, z);
        assertTrue(m.contains("sum to 1") && m.contains("id 1") && m.contains("1.5"), m);
        m = rejection(new double[][] {{1.5, -.5}, {.5, .5}}, z);
        // The canonical message (Checks.checkProbabilities) names the worst value: the most negative one here.
        assertTrue(m.contains("[0, 1]") && m.contains("-0.5") && m.contains("id 0"), m);
        m = rejection(new double[][] {{.5, .5}, {.5, .5}}, new double[][] {{1, 2}, {Double.POSITIVE_INFINITY, 4}});
        assertTrue(m.contains("finite") && m.contains("Infinity") && m.contains("id 1"), m);
        m = rejection(new double[][] {{.5, .5}, {.5, .5}}, new double[][] {{1, 2, 3}, {3, 4, 5}});
        assertTrue(m.contains("embeddings must have shape [2, 2]"), m);
        m = rejection(new double[][] {{.5, .5}}, new double[][] {{1, 2}});
        assertTrue(m.contains("probabilities must have shape [2, 2]"), m);
    }

    @Test
    void toFloatsReadsViewsAndColumnMajorArraysInRowMajorOrder() {
        // [[1, 2, 3], [4, 5, 6]] stored row-major, column-major, and as a view (the last two columns of a wider
        // matrix, and its transpose): every form reads as 1..6 in row-major order.
        float[] expected = {1, 2, 3, 4, 5, 6};
        INDArray c = Nd4j.create(expected, new long[] {2, 3}, 'c');
        assertArrayEquals(expected, QueryOutputs.toFloats(c));
        assertArrayEquals(expected, QueryOutputs.toFloats(c.dup('f')));
        INDArray wide = Nd4j.create(new float[] {0, 1, 2, 3, 0, 4, 5, 6}, new long[] {2, 4}, 'c');
        assertArrayEquals(expected, QueryOutputs.toFloats(wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4))));
        assertArrayEquals(expected, QueryOutputs.toFloats(Nd4j.create(new float[] {1, 4, 2, 5, 3, 6},
                new long[] {3, 2}, 'c').transpose()));
        assertArrayEquals(expected, QueryOutputs.toFloats(c.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)));
    }

    @Test
    void readsDoubleOutputsAndManyChunksIntoTheRightRows() {
        // Row i of the embeddings is (i, -i, 2i), stored as doubles; read ids in an order that crosses chunk and
        // tile borders and check every row lands where it belongs.
        int n = ModelOutputs.CHUNK + EmbeddingTiles.TILE + 7;
        double[][] z = new double[n][3];
        double[][] p = new double[n][2];
        for (int i = 0; i < n; i++) {
            z[i] = new double[] {i, -i, 2 * i};
            p[i] = new double[] {0.25, 0.75};
        }
        PrecomputedModel model = PrecomputedModel.builder(Nd4j.create(p)).embeddings(Nd4j.create(z)).build();
        int[] ids = new int[n - 3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = n - 1 - i;
        }
        ModelOutputs out = ModelOutputs.read(model, Pool.withoutInputs(n, 2), ids, true);
        for (int r = 0; r < ids.length; r++) {
            int id = ids[r];
            assertArrayEquals(new float[] {id, -id, 2 * id}, out.embeddings.row(r), 0f);
            assertArrayEquals(new float[] {.25f, .75f}, java.util.Arrays.copyOfRange(out.probabilities, 2 * r, 2 * r + 2));
        }
    }
    @Test
    void floatRowsCopiedIntoOneReusedBufferLandInTheRightRows() {
        // Row i is (i, -i, 2i, i + 0.5, ...) over d = 7 features (not a multiple of a vector width), float32: the model
        // copies each chunk into the same buffer; the last chunk is shorter, so a stale tail must not leak into tiles.
        int n = 2 * ModelOutputs.CHUNK + 9;
        int d = 7;
        float[] z = new float[n * d];
        float[] p = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                z[i * d + f] = (f % 2 == 0 ? i : -i) + f * 0.5f;
            }
            p[2 * i] = 0.25f;
            p[2 * i + 1] = 0.75f;
        }
        PrecomputedModel model = PrecomputedModel.builder(Nd4j.create(p, new long[] {n, 2}, 'c'))
                .embeddings(Nd4j.create(z, new long[] {n, d}, 'c')).build();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        int[] ids = random.ints(n - 4, 0, n).toArray(); // repeats, unsorted, crossing every chunk
        ModelOutputs out = ModelOutputs.read(model, Pool.withoutInputs(n, 2), ids, false);
        for (int r = 0; r < ids.length; r++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(z, ids[r] * d, ids[r] * d + d), out.embeddings.row(r), 0f,
                    "row " + r + ", id " + ids[r]);
        }
    }
}
