package dev.al4j.core;

/**
 * Checks that a model offers the capability a strategy needs, failing fast with a message naming both.
 *
 * <pre>{@code
 * EmbeddingModel m = Capabilities.require(model, EmbeddingModel.class, this);
 * }</pre>
 */
public final class Capabilities {

    private Capabilities() {}

    /**
     * Returns {@code model} as {@code capability}.
     *
     * @param who the strategy (or other user) asking; its {@code toString()} names it in the message
     * @throws IllegalArgumentException naming {@code who} and the capability when the model lacks it
     */
    public static <M extends Model> M require(Model model, Class<M> capability, Object who) {
        Checks.checkNotNull(model, "model");
        if (!model.supports(capability)) {
            throw new IllegalArgumentException(who + " needs a model with capability " + capability.getSimpleName()
                    + ", but the model given (" + model.getClass().getSimpleName() + ") does not offer it");
        }
        return capability.cast(model);
    }
}
