package dev.al4j.label;

import dev.al4j.core.ActiveLearningLoop;
import dev.al4j.core.LabelRecord;
import dev.al4j.core.LabelStore;
import dev.al4j.core.LoopBuilder;
import dev.al4j.core.NearestMeanLearner;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.SqliteLabelStore;
import dev.al4j.metrics.Accuracy;
import dev.al4j.metrics.Metrics;
import dev.al4j.strategies.Strategies;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A labelling server over a tiny pool (20 items of 4x4 grey pixels, 3 classes) and a fast learner (class means), in
 * this JVM, evaluated for accuracy on its first 6 items: first batch 4, batches of 3, budget 10, SQLite store in a temporary folder.
 */
final class LabelFixture implements AutoCloseable {

    static final String RUN = "label";
    static final String TOKEN = "test-token-0123";
    static final List<String> CLASSES = List.of("cat", "dog", "bird");
    static final int N = 20;

    final SqliteLabelStore store;
    final LabelSession session;
    final LabelServer server;

    LabelFixture(Path dir) throws IOException {
        float[] px = new float[N * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((i * 7919) % 97) / 96f; // fixed pixels in [0, 1]
        }
        INDArray x = Nd4j.create(px, new long[] {N, 16}, 'c');
        store = LabelStore.sqlite(dir.resolve("labels.db"));
        LoopBuilder builder = ActiveLearningLoop.builder().pool(Pool.of(PoolInputs.of(x), CLASSES.size()))
                .learner(new NearestMeanLearner()).strategy(Strategies.random().withSeed(3)).initialSize(4)
                .batchSize(3).budget(10).seed(5).labelStore(store).runId(RUN)
                .evaluation(Pool.of(PoolInputs.of(x.get(NDArrayIndex.interval(0, 6))), CLASSES.size()),
                        new int[] {0, 1, 2, 0, 1, 2}, Metrics.accuracy());
        session = LabelSession.start(builder, CLASSES.size(), 10, Accuracy.NAME, store::records, "test");
        server = LabelServer.start(session, ItemImages.ofPixels(x, new long[] {1, 4, 4}), CLASSES, "127.0.0.1", 0,
                TOKEN);
    }

    /** The base address, without the token. */
    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The oracle records of the run, in order. */
    List<LabelRecord> records() {
        return store.records(RUN);
    }

    /** Waits up to a minute for the session to reach {@code phase} in round {@code round}. */
    LabelSession.State await(LabelSession.Phase phase, int round) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < end) {
            LabelSession.State s = session.state();
            if (s.phase() == phase && s.round() == round) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + phase + " in round " + round + "; state " + session.state());
    }

    @Override
    public void close() {
        server.close();
        session.close();
        store.close();
    }
}
