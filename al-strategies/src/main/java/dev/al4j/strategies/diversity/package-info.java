/**
 * Diversity and hybrid batch strategies over penultimate embeddings: {@link dev.al4j.strategies.diversity.KCenterGreedy}
 * (core-set), {@link dev.al4j.strategies.diversity.BadgeSampling} (BADGE),
 * {@link dev.al4j.strategies.diversity.KMeansSampling}, {@link dev.al4j.strategies.diversity.DiverseMiniBatch}
 * (DBAL) and {@link dev.al4j.strategies.diversity.ClusterMargin}, plus the composition helpers
 * {@link dev.al4j.strategies.diversity.WeightedSum} and {@link dev.al4j.strategies.diversity.Prefilter}. Build them
 * from {@link dev.al4j.strategies.Strategies}; each needs an {@code EmbeddingModel} (a {@code PrecomputedModel} with
 * embeddings will do).
 *
 * <p>How they are fast: a query reads the model's outputs once, in chunks, into a float copy laid out in tiles of
 * 1 024 rows stored column by column. The hot loops (distance or dot product of every candidate to one or four
 * centres) are then element-wise loops over a column that HotSpot vectorises, spread over the available processors
 * in tile order so that results do not depend on the thread count. Nothing is N × N (except Cluster-Margin's n × n
 * distance matrix, built once per pool for its n clustered points, n capped by an option) or N × K·d.
 */
package dev.al4j.strategies.diversity;
