package dev.keel.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What an operator asked an order operation to do; the fields an operation type does not use are null.
 *
 * @param symbol            the symbol traded, closed or cancelled; null for a bulk cancel of every symbol
 * @param quantity          bracket: shares to buy; OCO: shares to protect; close: shares to sell (null: all held)
 * @param entryLimit        bracket: the entry's limit price, null for a market entry
 * @param stopPrice         bracket, OCO: the stop-loss trigger
 * @param stopLimit         bracket, OCO: the stop-loss's limit once triggered, null for a stop-market
 * @param targetPrice       bracket, OCO: the take-profit limit
 * @param timeInForce       of the orders placed; null means GTC for protective orders and DAY for entries
 * @param clientOrderId     modification: the working order to change; OCO enforcement: the take-profit leg of the
 *                          link enforced, which names the link
 * @param newQuantity       modification: the order's new total quantity, null to keep it
 * @param newLimitPrice     modification: the new limit price, null to keep it
 * @param newStopPrice      modification: the new stop price, null to keep it
 * @param rollbackOf        the operation this one undoes, or null; OCO enforcement: the transaction that owns the link
 */
public record OperationParams(Symbol symbol, BigDecimal quantity, BigDecimal entryLimit, BigDecimal stopPrice,
                              BigDecimal stopLimit, BigDecimal targetPrice, TimeInForce timeInForce,
                              String clientOrderId, BigDecimal newQuantity, BigDecimal newLimitPrice,
                              BigDecimal newStopPrice, String rollbackOf) {

    public static OperationParams bracket(Symbol symbol, BigDecimal quantity, BigDecimal entryLimit,
                                          BigDecimal stopPrice, BigDecimal stopLimit, BigDecimal targetPrice) {
        return new OperationParams(Objects.requireNonNull(symbol, "symbol"), quantity, entryLimit, stopPrice,
                stopLimit, targetPrice, null, null, null, null, null, null);
    }

    public static OperationParams oco(Symbol symbol, BigDecimal quantity, BigDecimal stopPrice, BigDecimal stopLimit,
                                      BigDecimal targetPrice) {
        return new OperationParams(Objects.requireNonNull(symbol, "symbol"), quantity, null, stopPrice, stopLimit,
                targetPrice, null, null, null, null, null, null);
    }

    /** @param quantity shares to sell, null for everything held */
    public static OperationParams close(Symbol symbol, BigDecimal quantity) {
        return new OperationParams(Objects.requireNonNull(symbol, "symbol"), quantity, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** @param symbol only this symbol's orders, or null for all */
    public static OperationParams cancelAll(Symbol symbol) {
        return new OperationParams(symbol, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static OperationParams modify(String clientOrderId, BigDecimal newQuantity, BigDecimal newLimitPrice,
                                         BigDecimal newStopPrice) {
        return new OperationParams(null, null, null, null, null, null, null,
                Objects.requireNonNull(clientOrderId, "clientOrderId"), newQuantity, newLimitPrice, newStopPrice,
                null);
    }

    /**
     * An OCO enforcement, started by the protection watch: the link of transaction {@code ownerTxId} whose take-profit
     * leg is {@code takeProfitOrderId}.
     */
    public static OperationParams enforce(String ownerTxId, String takeProfitOrderId) {
        return new OperationParams(null, null, null, null, null, null, null,
                Objects.requireNonNull(takeProfitOrderId, "takeProfitOrderId"), null, null, null,
                Objects.requireNonNull(ownerTxId, "ownerTxId"));
    }

    /** Undo what the rebalance {@code txId} filled, with a compensating order per filled order. */
    public static OperationParams undoRebalance(String txId) {
        return new OperationParams(null, null, null, null, null, null, null, null, null, null, null,
                Objects.requireNonNull(txId, "txId"));
    }

    public OperationParams withRollbackOf(String txId) {
        return new OperationParams(symbol, quantity, entryLimit, stopPrice, stopLimit, targetPrice, timeInForce,
                clientOrderId, newQuantity, newLimitPrice, newStopPrice, txId);
    }

    public OperationParams withTimeInForce(TimeInForce tif) {
        return new OperationParams(symbol, quantity, entryLimit, stopPrice, stopLimit, targetPrice, tif,
                clientOrderId, newQuantity, newLimitPrice, newStopPrice, rollbackOf);
    }
}
