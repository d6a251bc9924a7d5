package dev.keel.app.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/** Cron expressions of account schedules (Unix: minute hour day-of-month month day-of-week), read by cron-utils. */
public final class Schedules {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Schedules() {
    }

    /** Parses a Unix cron expression; throws IllegalArgumentException with cron-utils' reason when it is not one. */
    public static Cron parse(String expression) {
        Cron cron = UNIX.parse(expression);
        cron.validate();
        return cron;
    }

    /** The field's cron expression, checked; null when absent or wrong (a problem is then recorded). */
    static String cron(Field field) {
        String text = field.text(null);
        if (text == null) {
            return null;
        }
        try {
            parse(text.strip());
            return text.strip();
        } catch (IllegalArgumentException e) {
            field.problem("expected a cron expression like \"0 10 * * MON-FRI\" (minute hour day-of-month month "
                    + "day-of-week, in serve.zone), but was '" + text + "': " + e.getMessage());
            return null;
        }
    }

    /** The field's time zone id; the fallback when absent, null when unknown (a problem is then recorded). */
    static ZoneId zone(Field field, ZoneId fallback) {
        String text = field.text(null);
        if (text == null) {
            return fallback;
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            field.problem("expected a time zone like America/New_York, but was '" + text + "'");
            return null;
        }
    }

    /** The {@code serve} section. */
    static ServeSettings serve(Field field, Path base) {
        ServeSettings d = ServeSettings.DEFAULTS;
        Section s = field.section();
        int mark = s.problemCount();
        String bind = s.field("bind").text(d.bind());
        Integer port = s.field("port").whole(d.port(), Bound.between("0", true, "65535", true));
        Path token = s.field("token-file").file(null, base);
        ZoneId zone = zone(s.field("zone"), d.zone());
        Duration watch = every(s.field("watch-every"), d.watchEvery());
        Duration reconcile = every(s.field("reconcile-every"), d.reconcileEvery());
        Duration outbox = s.field("outbox-every").duration(d.outboxEvery(), true);
        Long maxBody = s.field("max-body").wholeLong(d.maxBody(), Bound.between("1", true, "67108864", true));
        s.finish();
        return s.problemCount() > mark ? null
                : new ServeSettings(bind, port, token, zone, watch, reconcile, outbox, maxBody);
    }

    /** A period; {@code 0s} turns the job off (null). */
    private static Duration every(Field field, Duration fallback) {
        Duration d = field.duration(fallback, false);
        return d == null || d.isZero() ? null : d;
    }
}
