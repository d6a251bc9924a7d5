package dev.keel.app;

import java.util.regex.Pattern;

/** Messages shown to the user, kept in the user's terms. */
final class Messages {
    /** A parenthesised Java exception that a library appended to its message: {@code (java.lang.Foo: ...)}. */
    private static final Pattern JAVA_CAUSE = Pattern.compile(
            "\\s*\\((?:java|javax|jdk|sun|org|com|dev\\.keel)\\.[\\w.$]+(?:Exception|Error)\\b[^)]*\\)");

    private Messages() {
    }

    /** {@code text} without a library's appended Java exception, or {@code ""} for null. */
    static String clean(String text) {
        return text == null ? "" : JAVA_CAUSE.matcher(text).replaceAll("");
    }
}
