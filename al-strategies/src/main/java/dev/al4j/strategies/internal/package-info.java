/**
 * Internal to al-strategies, not API (it may change in any release): {@link dev.al4j.strategies.internal.QueryOutputs},
 * the one layer through which every strategy of {@code dev.al4j.strategies} and {@code dev.al4j.strategies.diversity}
 * starts a query and reads its model's outputs (checked once, read once into Java arrays, the empty selection
 * returned early).
 */
package dev.al4j.strategies.internal;
