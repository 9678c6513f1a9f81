package io.roster.gateway.invite;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a body through unchanged while checking that it is UTF-8 and counting its lines, so that a bad byte is
 * reported with the line it is on. (A decoder reads ahead by a buffer: left to it, bad bytes on line 7 were
 * reported while the header row was being read.) Overlong forms, surrogates and code points above U+10FFFF are
 * refused, as the UTF-8 decoder of the JDK refuses them.
 */
final class Utf8Lines extends FilterInputStream {

    /** The body is not UTF-8; {@link #line()} says where. */
    static final class NotUtf8Exception extends IOException {
        private final long line;

        NotUtf8Exception(long line) {
            super("the body is not valid UTF-8 on line " + line);
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    private long line = 1;
    private int pending;
    private int min;
    private int codePoint;

    Utf8Lines(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            check(b);
        } else {
            end();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            end();
        }
        for (int i = 0; i < n; i++) {
            check(buffer[offset + i] & 0xFF);
        }
        return n;
    }

    private void check(int b) throws NotUtf8Exception {
        if (pending > 0) {
            if ((b & 0xC0) != 0x80) {
                throw new NotUtf8Exception(line);
            }
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (--pending == 0 && (codePoint < min || codePoint > 0x10FFFF
                    || (codePoint >= 0xD800 && codePoint <= 0xDFFF))) {
                throw new NotUtf8Exception(line);
            }
            return;
        }
        if (b < 0x80) {
            if (b == '\n') {
                line++;
            }
        } else if ((b & 0xE0) == 0xC0) {
            start(1, 0x80, b & 0x1F);
        } else if ((b & 0xF0) == 0xE0) {
            start(2, 0x800, b & 0x0F);
        } else if ((b & 0xF8) == 0xF0) {
            start(3, 0x10000, b & 0x07);
        } else {
            throw new NotUtf8Exception(line);
        }
    }

    private void start(int continuation, int smallest, int bits) {
        pending = continuation;
        min = smallest;
        codePoint = bits;
    }

    private void end() throws NotUtf8Exception {
        if (pending > 0) {
            throw new NotUtf8Exception(line);
        }
    }
}
