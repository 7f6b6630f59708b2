/**
 * Deeplearning4j learners for al4j: {@link dev.al4j.dl4j.Dl4jLearner} trains a network of an
 * {@link dev.al4j.dl4j.Architecture} ({@link dev.al4j.dl4j.Architectures}: MLP, small CNN, ResNet-18, VGG-16) with a
 * {@link dev.al4j.dl4j.Training} configuration and returns an immutable {@link dev.al4j.dl4j.Dl4jModel}: probabilities
 * and penultimate embeddings from one forward pass in mini-batches, and seeded MC-dropout passes with BatchNorm kept in
 * inference mode. {@link dev.al4j.dl4j.SupervisedContrastiveLearner} is SCAL's two-stage training with the
 * {@link dev.al4j.dl4j.SupervisedContrastiveLoss} on augmented batches (seed 000, eq. 1);
 * {@link dev.al4j.dl4j.ConfidenceCalibration} holds Ask-n-Learn's calibrated objectives (seed 002: VWCC, eq. 2, and
 * LWCC, eq. 3);
 * {@link dev.al4j.dl4j.Dl4jLearner#withLossPrediction()} adds Yoo and Kweon's loss-prediction module for
 * {@link dev.al4j.dl4j.Dl4jStrategies#learningLoss()}; {@link dev.al4j.dl4j.Dl4jLearner#withEpochPredictions()} keeps
 * each epoch's parameters, so that the model offers the probabilities after every epoch
 * ({@link dev.al4j.dl4j.EpochPredictionModel}) for label dispersion
 * ({@link dev.al4j.dl4j.Dl4jStrategies#labelDispersion()}, seed 001); {@link dev.al4j.dl4j.Dl4jStrategies#pal} is PAL,
 * a strategy that trains its own rotation-prediction scoring network; {@link dev.al4j.dl4j.AdversarialSampling}
 * ({@link dev.al4j.dl4j.Dl4jStrategies#advBim()}, {@link dev.al4j.dl4j.Dl4jStrategies#advDeepFool()}, seed 003) queries
 * the candidates whose label the smallest adversarial perturbation flips, from the network's input gradients;
 * {@link dev.al4j.dl4j.Dl4jStrategies#vaal()} is VAAL ({@link dev.al4j.dl4j.VariationalAdversarialActiveLearning}), a
 * strategy that trains its own β-VAE and discriminator adversarially on the labeled samples against the candidates.
 *
 * <pre>{@code
 * Dl4jLearner learner = Dl4jLearner.of(Architectures.mlp(), Training.adam(1e-3).withEpochs(20));
 * Dl4jModel model = learner.fit(TrainingData.of(pool, 42));
 * Selection next = Strategies.bald().select(pool, model, 100);
 * }</pre>
 *
 * <p>The DL4J network never leaves the model (a copy is available from {@link dev.al4j.dl4j.Dl4jModel#network()});
 * every random draw (initialisation, shuffling, dropout masks) derives from the fit's seed, never from ND4J's global
 * random generator set by this library.
 */
package dev.al4j.dl4j;
