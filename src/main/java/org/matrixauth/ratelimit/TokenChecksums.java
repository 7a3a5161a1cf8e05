package org.matrixauth.ratelimit;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.matrixauth.token.SynapseTokenFormat;

/**
 * Whether a token has the shape its issuer gives access tokens and a checksum that fits, which
 * tells a token that could have been issued from a random guess; anyone can compute a checksum,
 * so it proves nothing else. Two issuers:
 * <ul>
 *   <li>Synapse ({@code generate_access_token}): {@link SynapseTokenFormat};</li>
 *   <li>MAS, the authorization server of OAuth delegation ({@code TokenType::generate}):
 *       {@code mat_<30 random>_<crc>} (or {@code mct_} for its compatibility tokens), the crc
 *       being CRC-32 of everything before it in base62 with the least significant digit first,
 *       padded on the left with {@code 0} to 6 digits, as its {@code base62_encode} writes it.</li>
 * </ul>
 * MAS uses Synapse's alphabet {@code 0-9A-Za-z} and CRC-32 as zlib computes it.
 */
final class TokenChecksums {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int DIGITS = 6;
    private static final int MAS_RANDOM_LENGTH = 30;

    private TokenChecksums() {}

    static boolean fit(String token) {
        return token.startsWith("syt_") ? SynapseTokenFormat.fits(SynapseTokenFormat.ACCESS, token)
                : (token.startsWith("mat_") || token.startsWith("mct_")) && fitsMas(token);
    }

    /** MAS splits into exactly three parts: a prefix of three letters, 30 random characters, 6 digits of crc. */
    private static boolean fitsMas(String token) {
        int crcStart = 4 + MAS_RANDOM_LENGTH + 1;
        if (token.length() != crcStart + DIGITS || token.charAt(crcStart - 1) != '_' || token.indexOf('_', 4) != crcStart - 1) {
            return false;
        }
        return token.endsWith(masBase62(crc32(token, crcStart - 1)));
    }

    private static long crc32(String token, int end) {
        CRC32 crc = new CRC32();
        crc.update(token.substring(0, end).getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static String masBase62(long value) {
        StringBuilder digits = leastSignificantFirst(value);
        return "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
    }

    private static StringBuilder leastSignificantFirst(long value) {
        StringBuilder digits = new StringBuilder(DIGITS);
        for (long rest = value; rest > 0; rest /= 62) {
            digits.append(BASE62.charAt((int) (rest % 62)));
        }
        return digits;
    }
}
