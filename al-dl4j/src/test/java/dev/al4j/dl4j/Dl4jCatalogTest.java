package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ImageAugmenter;
import dev.al4j.core.Learner;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.strategies.Strategies;
import dev.al4j.strategies.StrategyCatalog;
import dev.al4j.strategies.StrategyCatalog.Reads;
import dev.al4j.strategies.StrategyCatalog.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Dl4jStrategies#catalog()}: al-strategies' catalog plus this module's strategies, built from a learner. */
class Dl4jCatalogTest {

    private static final Training TRAINING = Training.adam(1e-3).withEpochs(2);
    private static final Dl4jLearner LEARNER = Dl4jLearner.of(Architectures.mlp(), TRAINING);

    @Test
    void extendsTheStrategiesCatalogWithThisModulesStrategies() {
        StrategyCatalog all = Dl4jStrategies.catalog();
        List<StrategyCatalog.Entry> base = Strategies.catalog().entries();
        assertEquals(base, all.entries().subList(0, base.size()));
        assertEquals(List.of("scal", "ask-n-learn", "pal", "learning-loss", "label-dispersion", "adv-bim",
                "adv-deepfool", "waal", "vaal"), all.names().subList(base.size(), all.names().size()));
        for (String name : List.of("scal", "ask-n-learn", "pal", "learning-loss", "label-dispersion", "waal", "vaal")) {
            assertTrue(all.get(name).trainsOwnLearner(), name);
        }
        assertEquals(Reads.EMBEDDINGS, all.get("scal").reads());
        assertEquals(Reads.EMBEDDINGS_AND_INPUTS, all.get("ask-n-learn").reads());
        assertEquals(Reads.INPUTS, all.get("pal").reads());
        assertEquals(Reads.INPUTS, all.get("vaal").reads());
        assertEquals(Reads.PREDICTED_LOSS, all.get("learning-loss").reads());
        assertEquals(Reads.EPOCH_PREDICTIONS, all.get("label-dispersion").reads());
    }

    @Test
    void buildsEachStrategyAndLearnerFromTheSetupsDl4jLearner() {
        StrategyCatalog all = Dl4jStrategies.catalog();
        Setup setup = Setup.ofSeed(7).withLearner(LEARNER).withPasses(10)
                .withAugmenter(ImageAugmenter.of(1, 28, 28));
        assertEquals(Strategies.featureSimilarity(), all.get("scal").create(setup));
        assertEquals(SupervisedContrastiveLearner.of(LEARNER.architecture(), TRAINING).withDefaultPasses(10)
                .withAugmenter(ImageAugmenter.of(1, 28, 28)), all.get("scal").learner(setup));
        assertEquals(SupervisedContrastiveLearner.of(LEARNER.architecture(), TRAINING).withDefaultPasses(10),
                all.get("scal").learner(Setup.ofSeed(7).withLearner(LEARNER).withPasses(10)), "flat: no augmenter");
        assertEquals(Strategies.askNLearn(ImageAugmenter.of(1, 28, 28)).withSeed(7),
                all.get("ask-n-learn").create(setup));
        assertEquals(LEARNER.withCalibration(ConfidenceCalibration.varianceWeighted(Dl4jStrategies.VWCC_PASSES)),
                all.get("ask-n-learn").learner(setup));
        assertEquals(Dl4jStrategies.pal(LEARNER.architecture(), TRAINING).withSeed(7), all.get("pal").create(setup));
        assertEquals(LEARNER, all.get("pal").learner(setup));
        assertEquals(Dl4jStrategies.learningLoss().toString(), all.get("learning-loss").create(setup).toString());
        assertEquals(LEARNER.withLossPrediction(), all.get("learning-loss").learner(setup));
        assertEquals(Dl4jStrategies.labelDispersion().toString(), all.get("label-dispersion").create(setup).toString());
        assertEquals(LEARNER.withEpochPredictions(), all.get("label-dispersion").learner(setup));
        assertEquals(Dl4jStrategies.vaal().withSeed(7), all.get("vaal").create(setup));
        assertEquals(LEARNER, all.get("vaal").learner(setup)); // the task model's learner; VAAL trains its own VAE
    }

    @Test
    void anotherLearnerIsRefusedByName() {
        Learner<PrecomputedModel> other = (data, progress) -> PrecomputedModel.of(Nd4j.ones(1, 2).divi(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jStrategies.catalog().get("pal").create(Setup.ofSeed(1).withLearner(other)));
        assertTrue(e.getMessage().startsWith("strategy pal builds its networks from a Dl4jLearner, found "),
                e::getMessage);
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> Dl4jStrategies.catalog().get("ask-n-learn").create(Setup.ofSeed(1).withLearner(LEARNER)));
        assertTrue(flat.getMessage().startsWith("strategy ask-n-learn augments images"), flat::getMessage);
    }
}
