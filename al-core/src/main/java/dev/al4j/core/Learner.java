package dev.al4j.core;

/**
 * Trains a {@link Model} from labeled data. A learner is an immutable configuration; {@code fit} returns a new,
 * immutable model and leaves the learner unchanged, so one learner can be shared across threads and trials.
 *
 * @param <M> the kind of model it produces, e.g. an {@link EmbeddingModel}
 */
@FunctionalInterface
public interface Learner<M extends Model> {

    /**
     * Trains a model, reporting progress (epochs, and later inference batches of the returned model) to
     * {@code progress}.
     */
    M fit(TrainingData data, Progress progress);

    /**
     * Trains a model on {@code data}, which came from {@code pool} ({@code data.ids()} are its ids): the call the
     * {@link ActiveLearningLoop} makes. A learner that also learns from the pool's unlabeled samples (WAAL's
     * adversarial training reads their inputs) overrides this; the default ignores the pool and calls
     * {@link #fit(TrainingData, Progress)}.
     */
    default M fit(TrainingData data, Pool pool, Progress progress) {
        return fit(data, progress);
    }

    /** Trains a model without progress reports. */
    default M fit(TrainingData data) {
        return fit(data, Progress.none());
    }
}
