package dev.keel.core.execution;

import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * What the parts of an {@link OrderExecutor} share: the gateway to the broker, the settings, and the injected time
 * and chance (law 11).
 */
record ExecutionKit(BrokerGateway gateway, ExecutionSettings settings, Clock clock, Sleeper sleeper,
                    RandomGenerator random) {
}
