package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.MatrixAuth;
import org.matrixauth.SessionTokens;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.token.SynapseTokenFormat;

/** New access tokens, as Synapse makes them: its format, its guest macaroons, auth blocking first (BLK-7). */
final class TokenIssuer {
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
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
        auth.blocking().checkNewAccessToken(ownerId, appserviceGhost);
        if (deviceId != null) {
            devices.insertIfAbsent(ownerId, deviceId, null);
        }
        // Synapse's format: FLOOD-1 tells a fresh login's token from a guess by its checksum.
        String token = SynapseTokenFormat.generate(SynapseTokenFormat.ACCESS, ownerId);
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
     * The token fields of a login or registration answer, as Synapse's {@code register_device}
     * gives them: with a refresh token when the client asked for one and refresh tokens are on
     * (RFT-1), otherwise an access token that lasts {@code nonrefreshable_access_token_lifetime}
     * within {@code session_lifetime}; {@code expires_in_ms} whenever the access token expires.
     */
    Map<String, Object> loginTokens(String ownerId, String deviceId, boolean refreshRequested, boolean appserviceGhost) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Long expiresInMs;
        if (refreshRequested && auth.refreshTokens().enabled()) {
            devices.insertIfAbsent(ownerId, deviceId, null);
            SessionTokens tokens = auth.refreshTokens().issue(ownerId, deviceId, appserviceGhost);
            fields.put("access_token", tokens.accessToken());
            fields.put("refresh_token", tokens.refreshToken());
            expiresInMs = tokens.expiresInMs();
        } else {
            long now = System.currentTimeMillis();
            Long validUntilMs = auth.config().tokenLifetimes().nonrefreshableValidUntilMs(now);
            fields.put("access_token", issue(ownerId, deviceId, validUntilMs, null, appserviceGhost));
            expiresInMs = validUntilMs == null ? null : validUntilMs - now;
        }
        if (expiresInMs != null) {
            fields.put("expires_in_ms", expiresInMs);
        }
        return fields;
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
}
