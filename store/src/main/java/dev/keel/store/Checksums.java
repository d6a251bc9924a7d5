package dev.keel.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** CRC32C of a stored record over (sequence, stream id, type, payload), each field length-prefixed. */
final class Checksums {
    private Checksums() {
    }

    static long of(long sequence, String streamId, String type, String payload) {
        return of(sequence, streamId.getBytes(StandardCharsets.UTF_8), type.getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The same over each field's UTF-8 bytes, as the database stores them: a reader that does not decode the payload
     * (the open's check of the newest records) takes them as they are, without making strings of them to encode
     * again.
     */
    static long of(long sequence, byte[] streamId, byte[] type, byte[] payload) {
        CRC32C crc = new CRC32C();
        ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES);
        crc.update(prefix.putLong(0, sequence).array(), 0, Long.BYTES);
        update(crc, prefix, streamId);
        update(crc, prefix, type);
        update(crc, prefix, payload);
        return crc.getValue();
    }

    private static void update(CRC32C crc, ByteBuffer prefix, byte[] bytes) {
        crc.update(prefix.putInt(0, bytes.length).array(), 0, Integer.BYTES);
        crc.update(bytes);
    }
}
