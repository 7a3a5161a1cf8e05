package org.matrixauth.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Access tokens in the shape Synapse's {@code generate_access_token} gives them:
 * {@code syt_<base64 localpart>_<20 random>_<base62 crc32, 6 digits at least>}, as a fresh login's.
 */
public final class SynapseTokens {
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SynapseTokens() {}

    public static String mint(String localpart) {
        StringBuilder base = new StringBuilder("syt_")
                .append(Base64.getEncoder().withoutPadding().encodeToString(localpart.getBytes(StandardCharsets.UTF_8)))
                .append('_');
        for (int i = 0; i < 20; i++) {
            base.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        CRC32 crc = new CRC32();
        crc.update(base.toString().getBytes(StandardCharsets.US_ASCII));
        StringBuilder digits = new StringBuilder();
        for (long rest = crc.getValue(); rest > 0; rest /= 62) {
            digits.append(BASE62.charAt((int) (rest % 62)));
        }
        while (digits.length() < 6) {
            digits.append('0');
        }
        return base + "_" + digits.reverse();
    }
}
