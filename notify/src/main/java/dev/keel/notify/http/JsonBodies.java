package dev.keel.notify.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Writes the JSON bodies of the HTTP channels; their keys are spelled out in snake_case where they are built. */
final class JsonBodies {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private JsonBodies() {
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a channel body: " + e.getOriginalMessage(), e);
        }
    }
}
