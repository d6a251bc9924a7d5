package dev.keel.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** CRC32C of a stored record over (sequence, stream id, type, payload), each field length-prefixed. */
final class Checksums {
    private Checksums() {
    }

    static long of(long sequence, String streamId, String type, String payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(0, sequence));
        update(crc, streamId);
        update(crc, type);
        update(crc, payload);
        return crc.getValue();
    }

    private static void update(CRC32C crc, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        crc.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, bytes.length));
        crc.update(bytes);
    }
}
