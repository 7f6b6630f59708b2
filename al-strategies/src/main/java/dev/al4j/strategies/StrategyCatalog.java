package dev.al4j.strategies;

import dev.al4j.core.Augmenter;
import dev.al4j.core.Checks;
import dev.al4j.core.Learner;
import dev.al4j.core.QueryStrategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The query strategies by name: for each one, how to build it, what it reads and what it costs. The one registry of
 * strategy names, shared by the command-line tool ({@code al4j select}, {@code al4j run}, {@code al4j label}), the
 * benchmarks and the documentation (a test checks {@code docs/cli.md}'s strategy table against it).
 *
 * <p>Each module lists its own strategies: {@link Strategies#catalog()} holds those of al-strategies, and a module
 * with strategies of its own extends it with {@link #plus(List)} (al-dl4j's {@code Dl4jStrategies.catalog()} adds
 * the strategies that need Deeplearning4j networks). Names are kebab-case ({@code least-confidence}) and unique in a
 * catalog.
 *
 * <p>A strategy is built from a {@link Setup}: the seed (used where the strategy has randomness) and, for the
 * strategies that train networks of their own, the learner of the experiment they start from. Such a strategy
 * {@linkplain Entry#trainsOwnLearner() trains its own learner}: {@link Entry#learner(Setup)} returns the learner its
 * loop must train (a committee of copies, a contrastive encoder, a calibrated network...), and it cannot run on saved
 * model outputs.
 *
 * <p>Immutable and thread-safe; value {@code equals} by the entries' names, reads and costs.
 *
 * <pre>{@code
 * StrategyCatalog.Entry kCenter = Strategies.catalog().get("kcenter");
 * Selection next = kCenter.create(7).select(pool, model, 1000);   // kCenter.reads(): EMBEDDINGS
 * }</pre>
 */
public final class StrategyCatalog {

    /** What a strategy reads from the model and the pool, beyond the pool's ids. */
    public enum Reads {
        /** Nothing at all: random ids. */
        NOTHING("nothing"),
        /** Class probabilities {@code [N, K]} (any {@code Model}). */
        PROBABILITIES("class probabilities [N, K]"),
        /** {@code T} stochastic forward passes {@code [T, N, K]} (a {@code StochasticModel}, e.g. MC dropout). */
        MC_PASSES("T stochastic passes [T, N, K] (StochasticModel)"),
        /** Penultimate-layer embeddings {@code [N, d]} and probabilities from one pass (an {@code EmbeddingModel}). */
        EMBEDDINGS("embeddings [N, d] and probabilities (EmbeddingModel)"),
        /** Every committee member's class probabilities {@code [C, N, K]} (a {@link Committee}). */
        COMMITTEE("each member's probabilities [C, N, K] (Committee)"),
        /**
         * Every committee member's class probabilities and penultimate-layer embeddings (a {@link Committee} of
         * {@code EmbeddingModel}s).
         */
        COMMITTEE_EMBEDDINGS("each member's probabilities [C, N, K] and embeddings [C, N, d] (Committee of "
                + "EmbeddingModels)"),
        /**
         * Embeddings and probabilities, and the pool's inputs to augment (an {@code EmbeddingModel} that is also an
         * {@code InputModel}).
         */
        EMBEDDINGS_AND_INPUTS("embeddings, probabilities and augmented inputs (EmbeddingModel, InputModel)"),
        /** The pool's inputs, for a network the strategy trains itself at every query. */
        INPUTS("the pool's inputs, for a network it trains at every query"),
        /** The losses predicted by the model's loss-prediction module (a {@code LossPredictionModel}). */
        PREDICTED_LOSS("predicted losses [N] (LossPredictionModel)"),
        /**
         * The class probabilities after each of {@code T} recorded training epochs {@code [T, N, K]} (al-dl4j's
         * {@code EpochPredictionModel}).
         */
        EPOCH_PREDICTIONS("class probabilities after each of T training epochs [T, N, K] (EpochPredictionModel)"),
        /**
         * Class probabilities and the scores of a critic trained with the model on labeled and unlabeled samples,
         * from one pass (al-dl4j's {@code WassersteinCriticModel}, e.g. WAAL's).
         */
        CRITIC_SCORES("probabilities and critic scores [N] from one pass (WassersteinCriticModel)"),
        /**
         * The pool's inputs and the gradients of the network's class scores with respect to them (al-dl4j's
         * {@code Dl4jModel}): the strategy runs the run's own network, so it cannot run on saved outputs.
         */
        INPUT_GRADIENTS("the pool's inputs and the network's input gradients (Dl4jModel)");

        private final String description;

        Reads(String description) {
            this.description = description;
        }

        /** What is read, in a few words, e.g. {@code "class probabilities [N, K]"}. */
        public String description() {
            return description;
        }
    }

    /** Builds a strategy from a setup. */
    @FunctionalInterface
    public interface Factory {
        /**
         * The strategy.
         *
         * @throws IllegalArgumentException when the setup lacks what the strategy needs
         */
        QueryStrategy create(Setup setup);
    }

    /** Builds the learner a strategy's loop trains, from the setup's learner. */
    @FunctionalInterface
    public interface LearnerFactory {
        /**
         * The learner.
         *
         * @throws IllegalArgumentException when the setup lacks what the learner needs
         */
        Learner<?> learner(Setup setup);
    }

    /**
     * What a strategy is built from: a seed and, for the strategies that train networks of their own, the experiment's
     * learner, the augmentation of its inputs (when they are images), the stochastic passes of its MC-dropout
     * networks and the size of a committee. Immutable; {@code withX} returns a copy.
     */
    public static final class Setup {

        /** The default stochastic passes of an MC-dropout network built from a setup. */
        public static final int DEFAULT_PASSES = 20;

        /** The default number of committee members. */
        public static final int DEFAULT_COMMITTEE_SIZE = 5;

        private final long seed;
        private final Learner<?> learner;
        private final Augmenter augmenter;
        private final int passes;
        private final int committeeSize;

        private Setup(long seed, Learner<?> learner, Augmenter augmenter, int passes, int committeeSize) {
            this.seed = seed;
            this.learner = learner;
            this.augmenter = augmenter;
            this.passes = passes;
            this.committeeSize = committeeSize;
        }

        /** A setup with this seed, no learner, no augmenter, the default passes and committee size. */
        public static Setup ofSeed(long seed) {
            return new Setup(seed, null, null, DEFAULT_PASSES, DEFAULT_COMMITTEE_SIZE);
        }

        /** The same setup with the experiment's learner, from which strategies that train their own build it. */
        public Setup withLearner(Learner<?> learner) {
            return new Setup(seed, Checks.checkNotNull(learner, "learner"), augmenter, passes, committeeSize);
        }

        /** The same setup with the augmentation of the pool's inputs (e.g. {@code ImageAugmenter.of(1, 28, 28)}). */
        public Setup withAugmenter(Augmenter augmenter) {
            return new Setup(seed, learner, Checks.checkNotNull(augmenter, "augmenter"), passes, committeeSize);
        }

        /** The same setup with {@code passes} stochastic passes for the MC-dropout networks it builds. */
        public Setup withPasses(int passes) {
            Checks.checkArgument(passes >= 1, "passes must be >= 1, found %d", passes);
            return new Setup(seed, learner, augmenter, passes, committeeSize);
        }

        /** The same setup with {@code size} committee members. */
        public Setup withCommitteeSize(int size) {
            Checks.checkArgument(size >= 2, "committee size must be >= 2, found %d", size);
            return new Setup(seed, learner, augmenter, passes, size);
        }

        /** The seed of the strategies that have randomness. */
        public long seed() {
            return seed;
        }

        /** The experiment's learner, if given. */
        public Optional<Learner<?>> learner() {
            return Optional.ofNullable(learner);
        }

        /**
         * The experiment's learner.
         *
         * @throws IllegalArgumentException naming {@code strategy} when the setup has none
         */
        public Learner<?> learner(String strategy) {
            Checks.checkArgument(learner != null, "strategy %s trains a learner built from the setup's, but the "
                    + "setup has no learner (Setup.withLearner)", strategy);
            return learner;
        }

        /** The augmentation of the pool's inputs, if given. */
        public Optional<Augmenter> augmenter() {
            return Optional.ofNullable(augmenter);
        }

        /**
         * The augmentation of the pool's inputs.
         *
         * @throws IllegalArgumentException naming {@code strategy} when the setup has none (flat features)
         */
        public Augmenter augmenter(String strategy) {
            Checks.checkArgument(augmenter != null, "strategy %s augments images, but the features are flat vectors; "
                    + "give image features ([N, H, W] or [N, C, H, W] .npy, or --data)", strategy);
            return augmenter;
        }

        /** The stochastic passes of the MC-dropout networks built from this setup. */
        public int passes() {
            return passes;
        }

        /** The number of committee members. */
        public int committeeSize() {
            return committeeSize;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Setup s && seed == s.seed && Objects.equals(learner, s.learner)
                    && Objects.equals(augmenter, s.augmenter) && passes == s.passes
                    && committeeSize == s.committeeSize;
        }

        @Override
        public int hashCode() {
            return Objects.hash(seed, learner, augmenter, passes, committeeSize);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("StrategyCatalog.Setup.ofSeed(").append(seed).append(')');
            if (learner != null) {
                s.append(".withLearner(").append(learner).append(')');
            }
            if (augmenter != null) {
                s.append(".withAugmenter(").append(augmenter).append(')');
            }
            if (passes != DEFAULT_PASSES) {
                s.append(".withPasses(").append(passes).append(')');
            }
            if (committeeSize != DEFAULT_COMMITTEE_SIZE) {
                s.append(".withCommitteeSize(").append(committeeSize).append(')');
            }
            return s.toString();
        }
    }

    /**
     * One strategy of the catalog.
     *
     * <p>Equal entries have the same name, reads, cost, factory method and whether they train their own learner
     * (their factories are not compared). {@code toString()} is the name.
     */
    public static final class Entry {

        private final String name;
        private final String method;
        private final Reads reads;
        private final String cost;
        private final Factory factory;
        private final LearnerFactory learnerFactory;

        private Entry(String name, String method, Reads reads, String cost, Factory factory,
                LearnerFactory learnerFactory) {
            Checks.checkNotNull(name, "name");
            Checks.checkArgument(name.matches("[a-z0-9]+(-[a-z0-9]+)*"),
                    "name must be kebab-case (lower-case words joined by '-'), found '%s'", name);
            Checks.checkNotNull(method, "method");
            Checks.checkArgument(method.matches("[a-z][A-Za-z0-9]*"),
                    "method must be a Java method name, found '%s'", method);
            this.name = name;
            this.method = method;
            this.reads = Checks.checkNotNull(reads, "reads");
            this.cost = Checks.checkNotNull(cost, "cost");
            this.factory = Checks.checkNotNull(factory, "factory");
            this.learnerFactory = learnerFactory;
        }

        /**
         * An entry for a strategy that runs on any model with what it {@code reads}.
         *
         * @param name the kebab-case name, e.g. {@code least-confidence}
         * @param method the name of the factory method that builds it, e.g. {@code leastConfidence} for
         *     {@code Strategies.leastConfidence()} (the benchmarks' {@code @Param} names)
         * @param reads what it reads
         * @param cost its time cost as its javadoc states it, in N, L, d, K, T, b, e.g. {@code "O(N·K + N log b)"}
         * @param factory builds it
         */
        public static Entry of(String name, String method, Reads reads, String cost, Factory factory) {
            return new Entry(name, method, reads, cost, factory, null);
        }

        /**
         * An entry for a strategy whose loop trains a learner of its own, built from the setup's learner.
         *
         * @param learner builds the learner its loop trains
         * @see #of(String, String, Reads, String, Factory)
         */
        public static Entry trainingItsOwn(String name, String method, Reads reads, String cost, Factory factory,
                LearnerFactory learner) {
            return new Entry(name, method, reads, cost, factory, Checks.checkNotNull(learner, "learner"));
        }

        /** The kebab-case name, e.g. {@code least-confidence}. */
        public String name() {
            return name;
        }

        /** The name of the factory method that builds it, e.g. {@code leastConfidence}. */
        public String method() {
            return method;
        }

        /** What it reads. */
        public Reads reads() {
            return reads;
        }

        /** Its time cost, as its javadoc states it. */
        public String cost() {
            return cost;
        }

        /** Whether its loop trains a learner of its own ({@link #learner(Setup)}): it cannot run on saved outputs. */
        public boolean trainsOwnLearner() {
            return learnerFactory != null;
        }

        /**
         * The strategy, built from the setup.
         *
         * @throws IllegalArgumentException when the setup lacks what the strategy needs
         */
        public QueryStrategy create(Setup setup) {
            return factory.create(Checks.checkNotNull(setup, "setup"));
        }

        /** The strategy with this seed ({@code Setup.ofSeed(seed)}). */
        public QueryStrategy create(long seed) {
            return create(Setup.ofSeed(seed));
        }

        /**
         * The learner this strategy's loop trains: the setup's own, or, for a strategy that trains its own, the one
         * built from it.
         *
         * @throws IllegalArgumentException when the setup has no learner
         */
        public Learner<?> learner(Setup setup) {
            Checks.checkNotNull(setup, "setup");
            return learnerFactory == null ? setup.learner(name) : learnerFactory.learner(setup);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && method.equals(e.method) && reads == e.reads
                    && cost.equals(e.cost) && trainsOwnLearner() == e.trainsOwnLearner();
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, method, reads, cost, trainsOwnLearner());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Map<String, Entry> entries;

    private StrategyCatalog(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /**
     * A catalog of these entries, in this order.
     *
     * @throws IllegalArgumentException when two entries have the same name
     */
    public static StrategyCatalog of(List<Entry> entries) {
        return new StrategyCatalog(Map.of()).plus(entries);
    }

    /**
     * This catalog followed by {@code more} (a module's own strategies).
     *
     * @throws IllegalArgumentException when a name is already taken
     */
    public StrategyCatalog plus(List<Entry> more) {
        Checks.checkNotNull(more, "more");
        Map<String, Entry> all = new LinkedHashMap<>(entries);
        for (Entry e : more) {
            Checks.checkNotNull(e, "entry");
            Checks.checkArgument(all.putIfAbsent(e.name(), e) == null, "strategy name '%s' is listed twice",
                    e.name());
        }
        return new StrategyCatalog(java.util.Collections.unmodifiableMap(all));
    }

    /** Every entry, in catalog order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Every name, in catalog order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The entry called {@code name} (exactly), or empty. */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The entry called {@code name}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the known names when there is none
     */
    public Entry get(String name) {
        Checks.checkNotNull(name, "name");
        Entry e = entries.get(name.trim().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException("unknown strategy '" + name + "'; known: "
                    + String.join(", ", entries.keySet()));
        }
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StrategyCatalog c && entries().equals(c.entries());
    }

    @Override
    public int hashCode() {
        return entries().hashCode();
    }

    /** The names, e.g. {@code StrategyCatalog[random, entropy, ...]}. */
    @Override
    public String toString() {
        return "StrategyCatalog" + entries.keySet();
    }
}
