package dev.keel.core.execution;

import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * What the parts of an {@link OrderExecutor} share: the gateway to the broker, the settings, the injected time and
 * chance (law 11), and the order states the broker pushes, if it pushes any.
 */
record ExecutionKit(BrokerGateway gateway, ExecutionSettings settings, Clock clock, Sleeper sleeper,
                    RandomGenerator random, dev.keel.core.broker.OrderUpdates updates) {
}
