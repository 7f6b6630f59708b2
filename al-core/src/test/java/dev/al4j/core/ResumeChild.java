package dev.al4j.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link CrashResumeTest}: runs the {@link LoopFixture} loop on a SQLite store and reports on
 * stdout. At each pause point (in a fit, in a query, in an oracle call, after each stored answer) it prints a line
 * starting with {@code ?} and waits for a line on stdin, so the parent can SIGKILL it at an exact point whatever the
 * machine's load. Lines without {@code ?} are information.
 *
 * <p>Arguments: store file, run id, mode ({@code run}: {@link ActiveLearningLoop#run()} with a slow simulated
 * oracle; {@code human}: one answer at a time with {@code submitPartial}; {@code hold}: open the run and wait).
 */
public final class ResumeChild {

    private static final BufferedReader IN = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8));

    private ResumeChild() {}

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Prints a pause point and waits for the parent's go-ahead (or death). */
    static void pause(String marker) {
        say("?" + marker);
        try {
            if (IN.readLine() == null) {
                throw new IllegalStateException("parent closed stdin at " + marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String runId = args[1];
        String mode = args[2];
        AtomicReference<ActiveLearningLoop> current = new AtomicReference<>();
        LoopFixture.Hooks hooks = new LoopFixture.Hooks() {
            @Override
            public void fit(int labeled) {
                pause("FIT labeled=" + labeled);
            }

            @Override
            public void query(int candidates) {
                pause("STRATEGY");
            }

            @Override
            public void oracle(int[] ids) {
                for (int id : ids) {
                    say("ASK " + id);
                }
                try {
                    Thread.sleep(20); // a slow annotator
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pause("ORACLE labeled=" + current.get().pool().labeledCount());
            }
        };
        LoopListener log = new LoopListener() {
            @Override
            public void onRoundStart(int round, Pool pool) {
                say("QUERY " + round);
            }

            @Override
            public void onQueryDone(int round, Selection selection) {
                say("ISSUED " + round + " " + LoopFixture.ids(selection.ids()));
            }

            @Override
            public void onRoundEnd(RoundResult result) {
                say("ROUND " + result.round());
            }
        };
        try (SqliteLabelStore store = LabelStore.sqlite(file);
                ActiveLearningLoop loop = LoopFixture.builder(hooks, 7).labelStore(store).runId(runId).listener(log)
                        .build()) {
            current.set(loop);
            say("START pid=" + ProcessHandle.current().pid() + " labeled=" + LoopFixture.ids(loop.pool().labeled())
                    + " unanswered=" + LoopFixture.ids(loop.unansweredIds()));
            switch (mode) {
                case "run":
                    loop.run();
                    break;
                case "human": {
                    int[] truth = LoopFixture.truth();
                    while (loop.stopReason().isEmpty()) {
                        Query q = loop.nextQuery();
                        say("HUMAN " + q.round() + " " + LoopFixture.ids(q.ids()));
                        for (int id : loop.unansweredIds()) {
                            say("ASK " + id);
                            loop.submitPartial(Answers.of(new int[] {id}, new int[] {truth[id]}));
                            pause("ANSWER " + q.round() + " " + id);
                        }
                        loop.submit(Answers.none());
                    }
                    break;
                }
                case "hold":
                    pause("HOLDING");
                    return;
                default:
                    throw new IllegalArgumentException("mode " + mode);
            }
            say("RESULT " + LoopFixture.describe(loop.result()));
        }
    }
}
