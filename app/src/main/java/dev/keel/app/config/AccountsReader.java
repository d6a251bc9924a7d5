package dev.keel.app.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the accounts list: ids, target weights or the allocation service that gives them, trading thresholds. */
final class AccountsReader {
    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Bound WEIGHT = Bound.between("0", false, "1", true);

    private AccountsReader() {
    }

    static List<AccountConfig> accounts(Field field) {
        field.require("a list of accounts, each with an id and targets");
        int mark = field.problemCount();
        List<Field> items = field.items();
        if (field.present() && items.isEmpty() && field.problemCount() == mark) {
            field.problem("must list at least one account");
        }
        Map<String, String> firstUse = new HashMap<>();
        List<AccountConfig> accounts = new ArrayList<>();
        for (Field item : items) {
            accounts.add(account(item, firstUse));
        }
        return field.problemCount() > mark ? null : accounts;
    }

    private static AccountConfig account(Field item, Map<String, String> firstUse) {
        Section s = item.section();
        int mark = s.problemCount();
        Field idField = s.field("id").require("an account id like 'main'");
        String id = idField.text(null);
        if (id != null && !ID.matcher(id).matches()) {
            idField.problem("must be 1-64 characters of a-z, 0-9, '-' or '_', but was '" + id + "'");
        } else if (id != null && firstUse.putIfAbsent(id, item.path()) != null) {
            idField.problem("duplicate account id '" + id + "'; " + firstUse.get(id) + " already uses it");
        }
        Field targetsField = s.field("targets");
        Field allocationField = s.field("allocation");
        AllocationSettings allocation = null;
        Map<String, BigDecimal> targets = null;
        if (allocationField.present()) {
            if (targetsField.present()) {
                targetsField.problem("give either targets or allocation, not both");
            }
            allocation = allocation(allocationField);
        } else {
            targets = targets(targetsField);
        }
        BigDecimal drift = s.field("drift-threshold").number(AccountConfig.DEFAULT_DRIFT_THRESHOLD,
                Bound.between("0", false, "1", false));
        BigDecimal minTrade = s.field("min-trade").amount(AccountConfig.DEFAULT_MIN_TRADE, Bound.atLeast(0));
        BigDecimal cashBuffer = s.field("cash-buffer").number(AccountConfig.DEFAULT_CASH_BUFFER,
                Bound.between("0", true, "1", false));
        String schedule = Schedules.cron(s.field("schedule"));
        s.finish();
        return s.problemCount() > mark ? null
                : new AccountConfig(id, allocation == null ? targets : Map.of(), drift, minTrade, cashBuffer,
                        allocation, schedule);
    }

    private static AllocationSettings allocation(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        URI url = url(s.field("url").require("the allocation service's URL, e.g. http://127.0.0.1:8080/alloc/main"));
        Duration timeout = s.field("timeout").duration(AllocationSettings.DEFAULT_TIMEOUT, true);
        List<String> symbols = symbols(s.field("symbols"));
        RetrySettings retry = SettingsReader.retry(s.field("retry"));
        BreakerSettings breaker = SettingsReader.breaker(s.field("circuit-breaker"));
        s.finish();
        return s.problemCount() > mark ? null : new AllocationSettings(url, timeout, symbols, retry, breaker);
    }

    private static URI url(Field field) {
        String text = field.text(null);
        if (text == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            field.problem("expected an http:// or https:// URL, but was '" + text + "' (" + e.getReason() + ")");
            return null;
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            field.problem("expected an http:// or https:// URL with a host, but was '" + text + "'");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            field.problem("holds credentials; secrets do not belong in a config file");
            return null;
        }
        return uri;
    }

    /** An optional list of upper-case symbols; absent reads as empty. */
    private static List<String> symbols(Field field) {
        int mark = field.problemCount();
        List<String> symbols = new ArrayList<>();
        for (Field item : field.items()) {
            String text = item.text(null);
            if (text != null && item.symbol(text)) {
                symbols.add(text);
            }
        }
        return field.problemCount() > mark ? null : symbols;
    }

    private static Map<String, BigDecimal> targets(Field field) {
        field.require("a mapping of SYMBOL: weight, e.g. { VTI: 0.6, TLT: 0.4 }, or an allocation service");
        int mark = field.problemCount();
        Map<String, BigDecimal> targets = field.symbolMap(weight -> weight.number(null, WEIGHT));
        if (targets == null || field.problemCount() > mark) {
            return null;
        }
        if (field.present() && targets.isEmpty()) {
            field.problem("must name at least one symbol");
            return null;
        }
        BigDecimal sum = targets.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (field.present() && sum.subtract(BigDecimal.ONE).abs().compareTo(AccountConfig.WEIGHT_TOLERANCE) > 0) {
            field.problem("weights must sum to 1.0, but sum to " + sum.stripTrailingZeros().toPlainString());
            return null;
        }
        return targets;
    }
}
