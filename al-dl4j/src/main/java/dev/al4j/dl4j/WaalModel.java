package dev.al4j.dl4j;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.Predictions;
import dev.al4j.core.StochasticModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link WaalLearner} trains: the WAAL-trained classifier (a {@link Dl4jModel}, whose probabilities are the ones
 * the loop evaluates) and the critic trained with it. Offers probabilities and embeddings from one forward pass, the
 * critic's scores on those embeddings ({@link WassersteinCriticModel}), and MC-dropout passes when the architecture
 * has dropout. Immutable and thread-safe (the network's calls are synchronised as in {@link Dl4jModel}).
 */
public final class WaalModel implements WassersteinCriticModel, EmbeddingModel, StochasticModel {

    private final Dl4jModel classifier;
    private final WassersteinCritic critic; // never changed after construction
    private final double[] classificationLosses;
    private final double[] wassersteinEstimates;

    WaalModel(Dl4jModel classifier, WassersteinCritic critic, double[] classificationLosses,
            double[] wassersteinEstimates) {
        this.classifier = classifier;
        this.critic = critic.copy();
        this.classificationLosses = classificationLosses.clone();
        this.wassersteinEstimates = wassersteinEstimates.clone();
    }

    /** The trained feature extractor and classifier, e.g. for strategies that read its input gradients. */
    public Dl4jModel classifier() {
        return classifier;
    }

    /** The mean cross-entropy on the labeled samples of each epoch's mini-batches, in order. */
    public double[] classificationLosses() {
        return classificationLosses.clone();
    }

    /**
     * The mean of each epoch's mini-batch estimates of WAAL's critic term {@code mean_u d(z) − γ·mean_l d(z)}
     * (before the critic's step), in order: how far apart the critic finds unlabeled and labeled features.
     */
    public double[] wassersteinEstimates() {
        return wassersteinEstimates.clone();
    }

    @Override
    public int numClasses() {
        return classifier.numClasses();
    }

    @Override
    public int embeddingSize() {
        return classifier.embeddingSize();
    }

    @Override
    public int defaultPasses() {
        return classifier.defaultPasses();
    }

    @Override
    public boolean supports(Class<? extends Model> capability) {
        return capability == StochasticModel.class ? classifier.supports(capability) : capability.isInstance(this);
    }

    @Override
    public INDArray probabilities(Pool pool, int[] ids) {
        return classifier.probabilities(pool, ids);
    }

    @Override
    public Predictions predict(Pool pool, int[] ids) {
        return classifier.predict(pool, ids);
    }

    @Override
    public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
        return classifier.stochasticProbabilities(pool, ids, passes, seed);
    }

    /** One forward pass for probabilities and embeddings, then the critic on the embeddings. */
    @Override
    public CriticOutputs criticOutputs(Pool pool, int[] ids) {
        Predictions p = classifier.predict(pool, ids);
        return new CriticOutputs(p.probabilities(), criticScores(p.embeddings()));
    }

    /** The critic's scores {@code d(z) ∈ (0, 1)}, {@code [n]}, of embeddings {@code [n, d]} of this model. */
    public INDArray criticScores(INDArray embeddings) {
        dev.al4j.core.Checks.checkNotNull(embeddings, "embeddings");
        return critic.scores(embeddings);
    }

    @Override
    public String toString() {
        return "WaalModel[" + classifier + "]";
    }
}
