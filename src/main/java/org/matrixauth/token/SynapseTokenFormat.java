package org.matrixauth.token;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.zip.CRC32;
import org.matrixauth.api.PublicApi;

/**
 * Synapse's opaque tokens ({@code generate_access_token}, {@code generate_refresh_token}):
 * {@code <prefix>_<unpadded base64 localpart>_<20 random letters>_<crc>}, the crc being CRC-32 of
 * everything before it in base62, most significant digit first, at least 6 digits
 * ({@code base62_encode(..., minwidth=6)}). Standard base64 has no {@code _}, so a token splits
 * into exactly four parts. A homeserver makes its tokens with it so that they are Synapse's
 * (FLOOD-1 tells a fresh login's token from a guess by its checksum).
 */
@PublicApi
public final class SynapseTokenFormat {
    /** Access tokens. */
    public static final String ACCESS = "syt";
    /** Refresh tokens. */
    public static final String REFRESH = "syr";

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** Synapse's {@code random_string}: {@code string.ascii_letters}. */
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int RANDOM_LENGTH = 20;
    private static final int MIN_DIGITS = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SynapseTokenFormat() {}

    /** A new token of the kind {@code prefix} names for the user. */
    public static String generate(String prefix, String userId) {
        String localpart = userId.substring(1, userId.indexOf(':'));
        StringBuilder base = new StringBuilder(prefix).append('_')
                .append(Base64.getEncoder().withoutPadding().encodeToString(localpart.getBytes(StandardCharsets.UTF_8)))
                .append('_');
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            base.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return base + "_" + checksum(base.toString());
    }

    /** Synapse's {@code _verify_refresh_token} (and FLOOD-1 for access tokens): four parts, the prefix, a crc that fits. */
    public static boolean fits(String prefix, String token) {
        String[] parts = token.split("_", -1);
        if (parts.length != 4 || !parts[0].equals(prefix)) {
            return false;
        }
        int crcStart = token.lastIndexOf('_') + 1;
        return token.substring(crcStart).equals(checksum(token.substring(0, crcStart - 1)));
    }

    private static String checksum(String base) {
        CRC32 crc = new CRC32();
        crc.update(base.getBytes(StandardCharsets.US_ASCII));
        StringBuilder digits = new StringBuilder(MIN_DIGITS);
        for (long rest = crc.getValue(); rest > 0; rest /= 62) {
            digits.append(BASE62.charAt((int) (rest % 62)));
        }
        while (digits.length() < MIN_DIGITS) {
            digits.append('0');
        }
        return digits.reverse().toString();
    }
}
