package dev.al4j.strategies.diversity;

/**
 * Non-negative weights of rows {@code 0..n-1} in a binary sum tree: {@link #set} in O(log n), {@link #find} (the row
 * whose slice of the cumulative weights holds a given value) in O(log n). Every inner node is recomputed as the sum of
 * its two children on each update, never adjusted by a difference, so rounding does not drift and a subtree of zero
 * weight is never chosen. Not thread-safe (one query's scratch).
 */
final class SumTree {

    private final int leaves;
    private final double[] node; // node[1] is the root; leaf i is node[leaves + i]

    /** A tree over {@code weights} (copied). */
    SumTree(double[] weights) {
        int size = 1;
        while (size < Math.max(1, weights.length)) {
            size <<= 1;
        }
        leaves = size;
        node = new double[2 * size];
        System.arraycopy(weights, 0, node, size, weights.length);
        for (int i = size - 1; i >= 1; i--) {
            node[i] = node[2 * i] + node[2 * i + 1];
        }
    }

    /** The sum of all weights. */
    double total() {
        return node[1];
    }

    /** Row {@code i}'s weight. */
    double get(int i) {
        return node[leaves + i];
    }

    /** Sets row {@code i}'s weight to {@code w >= 0}. */
    void set(int i, double w) {
        int at = leaves + i;
        node[at] = w;
        for (at >>= 1; at >= 1; at >>= 1) {
            node[at] = node[2 * at] + node[2 * at + 1];
        }
    }

    /**
     * For {@code 0 <= u < total()}, the row {@code i} with {@code Σ_{j<i} w_j <= u < Σ_{j<=i} w_j} (up to rounding),
     * always a row of positive weight: a draw proportional to the weights when {@code u} is uniform on
     * {@code [0, total())}.
     */
    int find(double u) {
        int at = 1;
        while (at < leaves) {
            double left = node[2 * at];
            if (u < left) {
                at = 2 * at;
            } else {
                u -= left;
                at = 2 * at + 1;
                if (node[at] == 0) { // u rounded up to the left subtree's total: its last positive row
                    at--;
                    u = Math.nextDown(left);
                }
            }
        }
        return at - leaves;
    }
}
