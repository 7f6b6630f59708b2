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

    /** Trains a model without progress reports. */
    default M fit(TrainingData data) {
        return fit(data, Progress.none());
    }
}
