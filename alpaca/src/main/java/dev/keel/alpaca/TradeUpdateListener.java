package dev.keel.alpaca;

/** Receives order updates; called on the stream's threads, one update at a time, in Alpaca's order. */
@FunctionalInterface
public interface TradeUpdateListener {
    void onUpdate(TradeUpdate update);
}
