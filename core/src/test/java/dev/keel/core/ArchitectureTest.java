package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.keel.core.account.AccountSession;
import dev.keel.core.account.AccountStates;
import dev.keel.core.broker.Broker;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The laws' choke points, kept by reading the compiled classes of {@code core} (ArchUnit): a change that writes a
 * trading-state move, ends a transaction or sends an order somewhere new fails here before review.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keel.core");

    /** Law 9 and 13: a trading-state move is written in one place, which decides it on the stream it writes. */
    @Test
    void onlyAccountStatesMovesAnAccountsTradingState() {
        assertThat(constructing(TradingStateChanged.class)).containsExactly(AccountStates.class.getName());
    }

    /**
     * Laws 6 and 8: whoever builds a transaction's terminal event hands it to the account session's single ending,
     * which adds the notification and the move and refuses a second ending.
     */
    @Test
    void everyTransactionEndingGoesThroughTheAccountSession() {
        List<String> bypassing = new ArrayList<>();
        for (String owner : constructing(TransactionEnded.class)) {
            boolean ends = CORE.get(owner).getMethodCallsFromSelf().stream()
                    .anyMatch(call -> call.getTargetOwner().isEquivalentTo(AccountSession.class)
                            && call.getName().equals("end"));
            if (!ends) {
                bypassing.add(owner);
            }
        }
        assertThat(bypassing).as("classes that end a transaction without AccountSession.end").isEmpty();
    }

    /**
     * Laws 1-3: an order is created, replaced or cancelled at a broker only by the execution package (intent journaled
     * first, ambiguity resolved by lookup); brokers that wrap brokers forward the call.
     */
    @Test
    void onlyTheExecutionPackageSendsOrdersToABroker() {
        Set<String> orderCalls = Set.of("submit", "submitOco", "submitBracket", "cancel", "replace");
        Set<String> callers = new TreeSet<>();
        for (JavaClass c : CORE) {
            if (c.getPackageName().equals("dev.keel.core.execution") || c.isAssignableTo(Broker.class)) {
                continue;
            }
            c.getMethodCallsFromSelf().stream()
                    .filter(call -> call.getTargetOwner().isAssignableTo(Broker.class)
                            && orderCalls.contains(call.getName()))
                    .forEach(call -> callers.add(c.getName() + " -> " + call.getName()));
        }
        assertThat(callers).isEmpty();
    }

    /**
     * The simulation's planted bugs stay the simulation's: in production code the only {@link SimulationHooks} is
     * {@link SimulationHooks#NONE}, whose every answer is the correct behaviour (issue 10, finding 12).
     */
    @Test
    void onlyTheSimulationImplementsItsHooks() {
        assertThat(CORE.stream().filter(c -> c.isAssignableTo(SimulationHooks.class) && !c.isInterface())
                .map(c -> topLevel(c).getName()).toList()).containsExactly(SimulationHooks.class.getName());
    }

    /** Law 11: time and chance are injected; only the time package touches the system's clock or sleeps. */
    @Test
    void domainCodeNeverReadsTheSystemClockSleepsOrDrawsUnseededRandoms() {
        List<Predicate<JavaCodeUnitAccess<?>>> forbidden = List.of(
                call("java.lang.System", "currentTimeMillis"),
                call("java.lang.Thread", "sleep"),
                call("java.util.concurrent.TimeUnit", "sleep"),
                call("java.lang.Math", "random"),
                call("java.time.Instant", "now"),
                call("java.time.LocalDate", "now"),
                call("java.time.LocalDateTime", "now"),
                call("java.time.ZonedDateTime", "now"),
                call("java.time.Clock", "systemUTC"),
                call("java.time.Clock", "systemDefaultZone"),
                call("java.util.Random", "<init>"),
                call("java.util.UUID", "randomUUID"));
        Set<String> offenders = new TreeSet<>();
        for (JavaClass c : CORE) {
            if (c.getPackageName().equals("dev.keel.core.time")) {
                continue;
            }
            c.getAccessesFromSelf().stream()
                    .filter(JavaCodeUnitAccess.class::isInstance).map(a -> (JavaCodeUnitAccess<?>) a)
                    .filter(a -> forbidden.stream().anyMatch(p -> p.test(a)))
                    .forEach(a -> offenders.add(c.getName() + " -> " + a.getTargetOwner().getSimpleName() + "."
                            + a.getName()));
        }
        assertThat(offenders).isEmpty();
    }

    private static Predicate<JavaCodeUnitAccess<?>> call(String owner, String name) {
        return a -> a.getTargetOwner().getName().equals(owner) && a.getName().equals(name);
    }

    /** The top-level classes (nested ones folded into their outer class) that call a constructor of {@code type}. */
    private static Set<String> constructing(Class<?> type) {
        Set<String> owners = new TreeSet<>();
        for (JavaClass c : CORE) {
            boolean builds = c.getConstructorCallsFromSelf().stream()
                    .anyMatch(call -> call.getTargetOwner().isEquivalentTo(type));
            if (builds && !c.isEquivalentTo(type)) {
                owners.add(topLevel(c).getName());
            }
        }
        return owners;
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
