package org.matrixauth.ratelimit;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Whether a token has the shape Synapse gives its access tokens and a checksum that fits:
 * {@code syt_<base64 localpart>_<random>_<crc>}, the crc being CRC-32 of everything before it,
 * base62 with Synapse's alphabet, at least 6 digits (Synapse's {@code generate_access_token} and
 * {@code base62_encode}). It tells a token Synapse (or a homeserver minting tokens as it does) could
 * have issued from a random guess; anyone can compute a checksum, so it proves nothing else.
 */
final class SynapseTokenChecksum {
    private static final String PREFIX = "syt_";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int MIN_DIGITS = 6;

    private SynapseTokenChecksum() {}

    static boolean fits(String token) {
        if (!token.startsWith(PREFIX)) {
            return false;
        }
        int crcStart = token.lastIndexOf('_') + 1;
        // Synapse splits on '_' into exactly four parts: prefix, localpart, random, crc.
        int localpartEnd = token.indexOf('_', PREFIX.length());
        if (localpartEnd < 0 || token.indexOf('_', localpartEnd + 1) != crcStart - 1 || crcStart == token.length()) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(token.substring(0, crcStart - 1).getBytes(StandardCharsets.US_ASCII));
        return token.substring(crcStart).equals(base62(crc.getValue()));
    }

    private static String base62(long value) {
        StringBuilder digits = new StringBuilder(MIN_DIGITS);
        for (long rest = value; rest > 0; rest /= 62) {
            digits.append(BASE62.charAt((int) (rest % 62)));
        }
        while (digits.length() < MIN_DIGITS) {
            digits.append('0');
        }
        return digits.reverse().toString();
    }
}
