/**
 * al4j's query strategies that need only model outputs (probabilities, MC-dropout passes, embeddings, a committee's
 * members). Start at {@link dev.al4j.strategies.Strategies}: one static factory per strategy, each returning an
 * immutable, thread-safe strategy whose {@code toString()} echoes how to build it, and
 * {@link dev.al4j.strategies.Strategies#catalog()}, the {@link dev.al4j.strategies.StrategyCatalog} of them by
 * kebab-case name with what each reads and costs (al-dl4j extends it with the strategies that need its networks).
 *
 * <ul>
 *   <li>Uncertainty of one model: {@link dev.al4j.strategies.UncertaintySampling} (entropy, margin, least
 *       confidence, variation ratio), the pure scores on arrays in {@link dev.al4j.strategies.UncertaintyScores};
 *       random sampling, the baseline, in {@link dev.al4j.strategies.RandomSampling}.</li>
 *   <li>Bayesian (MC dropout) and committees: {@link dev.al4j.strategies.BayesianUncertaintySampling} (BALD, MeanSTD
 *       and the MC variants), {@link dev.al4j.strategies.BatchBald}, {@link dev.al4j.strategies.QueryByCommittee}
 *       over a {@link dev.al4j.strategies.Committee}; ensembles (Beluch et al. 2018), the MC measures over a
 *       committee's members read as passes, in {@link dev.al4j.strategies.EnsembleSampling}; Suggestive Annotation
 *       (Yang et al. 2017; seed 001), a bootstrap ensemble's variance then a greedy max-cover of cosine similarity, in
 *       {@link dev.al4j.strategies.SuggestiveAnnotation}.</li>
 *   <li>Expected model change: {@link dev.al4j.strategies.ExpectedGradientLength} (EGL, Settles et al. 2008; seed
 *       001), the expected norm of the last layer's gradient in closed form.</li>
 *   <li>The seed papers' methods: {@link dev.al4j.strategies.FeatureSimilaritySampling} (SCAL's query, seed 000
 *       eq. 2), {@link dev.al4j.strategies.DeepFeatureModelingSampling} (seed 000 eq. 3),
 *       {@link dev.al4j.strategies.AskNLearnSampling} (seed 002),
 *       {@link dev.al4j.strategies.ContrastiveActiveLearning};
 *       CEAL's pseudo-labels, a loop option, in {@link dev.al4j.strategies.Ceal}.</li>
 *   <li>Diversity and hybrids over embeddings (k-center, BADGE, k-means, DBAL, Cluster-Margin) are in
 *       {@code dev.al4j.strategies.diversity}.</li>
 * </ul>
 *
 * The package-private classes are the kernels behind them: screened top-b selection and its fast logarithm,
 * blocked feature products, joint entropies and the reading of model outputs into arrays.
 */
package dev.al4j.strategies;
