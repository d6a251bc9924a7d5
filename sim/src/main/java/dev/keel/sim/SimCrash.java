package dev.keel.sim;

/**
 * The engine process dies here. An {@link Error}, so that no {@code catch (RuntimeException)} in the engine can
 * swallow it: everything the engine held in memory is lost; only the journal and the exchange remain.
 */
final class SimCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}
