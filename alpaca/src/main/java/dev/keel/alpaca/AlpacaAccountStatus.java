package dev.keel.alpaca;

import java.math.BigDecimal;

/**
 * What Alpaca says about the account's standing, beside the balances Keel trades on.
 *
 * @param status             Alpaca's account status, e.g. {@code ACTIVE}
 * @param tradingBlocked     {@code trading_blocked}: no order may be placed
 * @param accountBlocked     {@code account_blocked}
 * @param suspendedByUser    {@code trade_suspended_by_user}
 * @param equity             {@code equity}, null if absent
 * @param cash               {@code cash}, null if absent
 * @param buyingPower        {@code buying_power} as Alpaca reports it (margin included), null if absent
 */
public record AlpacaAccountStatus(String status, boolean tradingBlocked, boolean accountBlocked,
                                  boolean suspendedByUser, BigDecimal equity, BigDecimal cash,
                                  BigDecimal buyingPower) {
    /** Whether Alpaca would take an order now: ACTIVE and nothing blocked. */
    public boolean canTrade() {
        return "ACTIVE".equals(status) && !tradingBlocked && !accountBlocked && !suspendedByUser;
    }
}
