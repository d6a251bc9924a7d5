package dev.keel.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a benchmark ran, printed beside its numbers. */
record Machine(@JsonProperty("cores") int cores, @JsonProperty("java") String java,
               @JsonProperty("max_heap_mb") long maxHeapMb, @JsonProperty("os") String os) {
    static Machine describe() {
        return new Machine(Runtime.getRuntime().availableProcessors(), Runtime.version().toString(),
                Runtime.getRuntime().maxMemory() / 1048576, System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
    }

    String describeLine() {
        return cores + " cores, Java " + java + ", max heap " + maxHeapMb + " MB, " + os;
    }
}
