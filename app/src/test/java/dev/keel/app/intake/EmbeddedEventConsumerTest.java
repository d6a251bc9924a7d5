package dev.keel.app.intake;

/** The consume loop over the embedded inbox in the SQLite journal. */
class EmbeddedEventConsumerTest extends EventConsumerContractTest {
    @Override
    protected String source() {
        return "";
    }
}
