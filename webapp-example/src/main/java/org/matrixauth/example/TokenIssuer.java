package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.matrixauth.MatrixAuth;
import org.matrixauth.SessionTokens;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;

/** New access tokens, as Synapse makes them: its format, its guest macaroons, auth blocking first (BLK-7). */
final class TokenIssuer {
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Synapse's {@code base62_encode} alphabet: the filter checks the crc with it (FLOOD-1). */
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MatrixAuth auth;
    private final Devices devices;
    private final HomeserverStore store;

    TokenIssuer(MatrixAuth auth, Devices devices, HomeserverStore store) {
        this.auth = auth;
        this.devices = devices;
        this.store = store;
    }

    /**
     * BLK-7: every new access token passes auth blocking first, for the user who will own it,
     * except a user an appservice registers while appservice IPs are not tracked.
     *
     * @param appserviceGhost the token comes with an appservice's registration of the user
     *     (Synapse's {@code is_appservice_ghost}); an appservice's login is no such case
     */
    String issue(String ownerId, String deviceId, Long validUntilMs, String puppetsUserId, boolean appserviceGhost) {
        if (!appserviceGhost || auth.config().tracking().trackAppserviceUserIps()) {
            auth.blocking().checkUser(ownerId);
        }
        if (deviceId != null) {
            devices.insertIfAbsent(ownerId, deviceId, null);
        }
        String token = newAccessToken(ownerId);
        store.insertToken(ownerId, token, deviceId, validUntilMs, puppetsUserId);
        return token;
    }

    /** RFT-1: Synapse's {@code refresh_token} of a login or registration body, false when absent. */
    static boolean refreshRequested(JsonNode body) {
        JsonNode value = body.get("refresh_token");
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "`refresh_token` should be true or false.");
        }
        return value.booleanValue();
    }

    /**
     * The token fields of a login or registration answer: with a refresh token and
     * {@code expires_in_ms} when the client asked for one and refresh tokens are on (RFT-1), as
     * Synapse's {@code register_device}; the library then writes the rows and checks auth blocking,
     * also for an appservice's ghost, which Synapse would let through: {@code RefreshTokens.issue}
     * has no such exception.
     */
    Map<String, Object> loginTokens(String ownerId, String deviceId, boolean refreshRequested, boolean appserviceGhost) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (refreshRequested && auth.refreshTokens().enabled()) {
            devices.insertIfAbsent(ownerId, deviceId, null);
            SessionTokens tokens = auth.refreshTokens().issue(ownerId, deviceId);
            fields.put("access_token", tokens.accessToken());
            fields.put("refresh_token", tokens.refreshToken());
            fields.put("expires_in_ms", tokens.expiresInMs());
        } else {
            fields.put("access_token", issue(ownerId, deviceId, null, null, appserviceGhost));
        }
        return fields;
    }

    /** Synapse's format: {@code syt_<base64 localpart>_<20 random>_<base62 crc32>}. */
    static String newAccessToken(String userId) {
        String localpart = userId.substring(1, userId.indexOf(':'));
        // Base64 as Synapse's unpaddedbase64 writes it (no '_' in it), so the token splits into four parts.
        String base = "syt_" + Base64.getEncoder().withoutPadding().encodeToString(localpart.getBytes(StandardCharsets.UTF_8))
                + "_" + random(20);
        return base + "_" + checksum(base);
    }

    /** Synapse's {@code base62_encode(crc32(base), minwidth=6)}: what the filter checks a fresh token's shape by. */
    static String checksum(String base) {
        CRC32 crc = new CRC32();
        crc.update(base.getBytes(StandardCharsets.US_ASCII));
        return base62(crc.getValue());
    }

    /** A guest's access token: a macaroon with the caveats Synapse writes (MAC-1, MAC-2). */
    String newGuestToken(String userId) {
        String key = auth.config().macaroonSecretKey();
        return new MacaroonsBuilder(auth.config().serverName(), key, "key")
                .add_first_party_caveat("gen = 1")
                .add_first_party_caveat("user_id = " + userId)
                .add_first_party_caveat("type = access")
                .add_first_party_caveat("nonce = " + random(16))
                .add_first_party_caveat("guest = true")
                .getMacaroon()
                .serialize();
    }

    static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    private static String base62(long value) {
        StringBuilder digits = new StringBuilder();
        do {
            digits.append(BASE62.charAt((int) (value % 62)));
            value /= 62;
        } while (value > 0);
        while (digits.length() < 6) {
            digits.append('0');
        }
        return digits.reverse().toString();
    }
}
