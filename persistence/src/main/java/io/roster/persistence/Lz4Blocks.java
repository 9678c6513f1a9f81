package io.roster.persistence;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * LZ4 blocks for what Roster stores in bulk (outbox batches, job results): compressed by the JVM that writes them,
 * a few times faster than PostgreSQL's own compression of large values, and stored as they come. A block does not
 * carry its length before compression: the caller stores it beside the block.
 */
final class Lz4Blocks {

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();

    private Lz4Blocks() {
    }

    /** The most bytes a block of {@code length} bytes can take. */
    static int maxPacked(int length) {
        return COMPRESSOR.maxCompressedLength(length);
    }

    /**
     * Compresses {@code length} bytes of {@code src} from {@code offset} into {@code dest} from {@code at}.
     * @return the block's length
     */
    static int pack(byte[] src, int offset, int length, byte[] dest, int at) {
        return COMPRESSOR.compress(src, offset, length, dest, at, dest.length - at);
    }

    /** The {@code rawLength} bytes that the block of {@code length} bytes at {@code offset} of {@code src} holds. */
    static byte[] unpack(byte[] src, int offset, int length, int rawLength) {
        byte[] raw = new byte[rawLength];
        int n;
        try {
            n = LZ4.safeDecompressor().decompress(src, offset, length, raw, 0, rawLength);
        } catch (LZ4Exception e) {
            throw new IllegalStateException("a damaged LZ4 block", e);
        }
        if (n != rawLength) {
            throw new IllegalStateException("a damaged LZ4 block: " + n + " bytes of " + rawLength);
        }
        return raw;
    }
}
