package dev.keel.paper;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Kebab-case names for the enums a YAML file names: {@code timeout-after-accept} for {@code TIMEOUT_AFTER_ACCEPT}. */
final class Names {
    private Names() {
    }

    static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a kebab-case (or enum-style) name; an unknown name throws, listing the valid ones. */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
        if (name != null) {
            String normal = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E value : type.getEnumConstants()) {
                if (kebab(value).equals(normal)) {
                    return value;
                }
            }
        }
        String valid = Arrays.stream(type.getEnumConstants()).map(Names::kebab).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(what + " must be one of " + valid + ", but was '" + name + "'");
    }
}
