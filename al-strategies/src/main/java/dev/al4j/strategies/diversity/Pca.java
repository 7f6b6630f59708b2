package dev.al4j.strategies.diversity;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Principal component analysis of one or more {@link EmbeddingTiles}: the top {@code m} eigenvectors of their joint
 * covariance. Cost: O(n·d²) for the covariance (one ND4J gemm per tile) and O(d³) for the symmetric eigen
 * decomposition (Commons Math); memory O(d²).
 */
final class Pca {

    private Pca() {}

    /**
     * The row-major {@code [d, m]} basis of the top {@code m} principal directions (eigenvalues descending, ties
     * toward the lower index) of the rows of all {@code parts} together.
     */
    static float[] basis(int m, EmbeddingTiles... parts) {
        int d = parts[0].dimension();
        INDArray gram = Nd4j.zeros(DataType.DOUBLE, d, d);
        double[] sums = new double[d];
        long n = 0;
        for (EmbeddingTiles part : parts) {
            n += part.size();
            for (int t = 0; t < part.tileCount(); t++) {
                float[][] tile = part.tileColumns(t);
                INDArray a = Nd4j.create(tile);
                gram.addi(a.mmul(a.transpose()).castTo(DataType.DOUBLE));
                for (int k = 0; k < d; k++) {
                    double s = 0;
                    for (float v : tile[k]) {
                        s += v;
                    }
                    sums[k] += s;
                }
            }
        }
        double[][] cov = gram.toDoubleMatrix();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cov[i][j] = cov[i][j] / n - (sums[i] / n) * (sums[j] / n);
            }
        }
        // Symmetrise against rounding so that Commons Math takes its symmetric path.
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (cov[i][j] + cov[j][i]);
                cov[i][j] = v;
                cov[j][i] = v;
            }
        }
        RealMatrix matrix = new Array2DRowRealMatrix(cov, false);
        EigenDecomposition eigen = new EigenDecomposition(matrix);
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> values[x] != values[y] ? Double.compare(values[y], values[x])
                : Integer.compare(x, y));
        float[] basis = new float[d * m];
        for (int j = 0; j < m; j++) {
            double[] v = eigen.getEigenvector(order[j]).toArray();
            for (int k = 0; k < d; k++) {
                basis[k * m + j] = (float) v[k];
            }
        }
        return basis;
    }
}
