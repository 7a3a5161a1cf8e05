package org.matrixauth.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.zip.CRC32;

/** Access tokens in the shapes their issuers give them, as a fresh login's. */
public final class IssuedTokens {
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IssuedTokens() {}

    /** Synapse's {@code generate_access_token}: {@code syt_<base64 localpart>_<20 random>_<crc, most significant digit first>}. */
    public static String synapse(String localpart) {
        String base = "syt_" + Base64.getEncoder().withoutPadding().encodeToString(localpart.getBytes(StandardCharsets.UTF_8))
                + "_" + random(20);
        StringBuilder digits = leastSignificantFirst(crc32(base));
        while (digits.length() < 6) {
            digits.append('0');
        }
        return base + "_" + digits.reverse();
    }

    /** MAS's {@code TokenType::AccessToken.generate}: {@code mat_<30 random>_<crc, least significant digit first, 0s on the left>}. */
    public static String mas() {
        String base = "mat_" + random(30);
        StringBuilder digits = leastSignificantFirst(crc32(base));
        return base + "_" + "0".repeat(6 - digits.length()) + digits;
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    private static long crc32(String base) {
        CRC32 crc = new CRC32();
        crc.update(base.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static StringBuilder leastSignificantFirst(long value) {
        StringBuilder digits = new StringBuilder();
        for (long rest = value; rest > 0; rest /= 62) {
            digits.append(BASE62.charAt((int) (rest % 62)));
        }
        return digits;
    }
}
