package dev.al4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loop option for semi-supervised active learning: each round, some unlabeled samples that the current model is
 * sure about join that round's training with a class the labeler picks (a <em>pseudo-label</em>), as in CEAL (Wang
 * et al. 2016; al-strategies has it as {@code Strategies.ceal()}). Set it with
 * {@link LoopBuilder#pseudoLabels(PseudoLabeler)}.
 *
 * <p><b>When and on what.</b> In round {@code t >= 1}, once the strategy has chosen the ids to ask, the loop calls
 * {@link #label} with the model the strategy queried (the one trained on the labels so far) and the round's
 * <em>eligible</em> ids: the round's candidates (every unlabeled id, or the round's random subset when the loop has a
 * {@code candidateSubsetSize}) minus the ids just queried, ascending. The labeler returns some of them with a class
 * each. The loop stores them in the {@link LabelStore} as {@link LabelRecord.Source#PSEUDO} records of round
 * {@code t}, in the same transaction as the query, and trains the model at the end of round {@code t} on the oracle
 * labels plus these pseudo-labels. The next round decides afresh: pseudo-labels are never carried over.
 *
 * <p><b>Never oracle labels.</b> Pseudo-labels do not enter the {@link Pool} (its labeled set stays the oracle's),
 * do not count against the budget, are never sent to the oracle, and are not in a {@link RoundResult}'s labeled
 * counts or a {@link LoopResult}'s final pool; {@link RoundResult#pseudoLabels()} says how many joined the round's
 * fit. A round in which the oracle answered nothing keeps the previous model, and its pseudo-labels are not used.
 *
 * <p>Implementations must be deterministic (the same arguments give the same answer), so that a resumed run equals
 * an uninterrupted one, and should have a {@code toString()} that says how they were built: it is part of the
 * loop's stored configuration, and resuming with another labeler is refused.
 */
@FunctionalInterface
public interface PseudoLabeler {

    /**
     * Picks the pseudo-labels of one round.
     *
     * @param round the loop round whose query was just chosen, {@code >= 1}
     * @param ids the eligible pool ids, ascending (may be empty)
     * @param probabilities the current model's {@code [ids.length, K]} class probabilities of {@code ids}, in the
     *     same order
     * @return a subset of {@code ids} with one class in {@code [0, K)} each; {@link Labels#none()} for none
     */
    Labels label(int round, int[] ids, INDArray probabilities);

    /**
     * Whether round {@code round} may pseudo-label anything at all. When {@code false} the loop neither runs the
     * model over the eligible ids nor calls {@link #label}; the default is {@code true}. CEAL says {@code false}
     * once its decaying threshold reaches 0.
     */
    default boolean isActive(int round) {
        return true;
    }

    /** Pool ids and their pseudo-labels, in the same order. Immutable: arrays are copied in and out. */
    final class Labels extends IdLabelPairs {

        private static final Labels NONE = new Labels(new int[0], new int[0]);


        private Labels(int[] ids, int[] labels) {
            super(ids, labels);
        }

        /**
         * Pseudo-labels {@code labels[i]} for {@code ids[i]}.
         *
         * @throws IllegalArgumentException for a length mismatch, a repeated or negative id, or a negative label
         */
        public static Labels of(int[] ids, int[] labels) {
            Checks.checkIdLabelPairs(ids, labels);
            return ids.length == 0 ? NONE : new Labels(ids.clone(), labels.clone());
        }

        /** No pseudo-labels. */
        public static Labels none() {
            return NONE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Labels l && samePairs(l);
        }

        @Override
        public int hashCode() {
            return pairsHash();
        }

        @Override
        public String toString() {
            return "PseudoLabeler.Labels[n=" + ids.length + "]";
        }
    }
}
