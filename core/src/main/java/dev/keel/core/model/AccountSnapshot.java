package dev.keel.core.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An account as the broker reports it at one moment.
 *
 * @param accountId   Keel's account id
 * @param cash        settled cash
 * @param buyingPower what the broker lets the account spend now (no margin: equal to cash)
 * @param positions   holdings
 * @param asOf        when the broker produced it
 */
public record AccountSnapshot(String accountId, BigDecimal cash, BigDecimal buyingPower, List<Position> positions,
                              Instant asOf) {
    public AccountSnapshot {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(cash, "cash");
        Objects.requireNonNull(buyingPower, "buyingPower");
        positions = List.copyOf(positions);
        Objects.requireNonNull(asOf, "asOf");
    }

    /** Cash plus the market value of every position. */
    public BigDecimal equity() {
        BigDecimal total = cash;
        for (Position p : positions) {
            total = total.add(p.marketValue());
        }
        return Money.cash(total);
    }

    public Optional<Position> position(Symbol symbol) {
        return positions.stream().filter(p -> p.symbol().equals(symbol)).findFirst();
    }

    public BigDecimal quantity(Symbol symbol) {
        return position(symbol).map(Position::quantity).orElse(BigDecimal.ZERO);
    }
}
