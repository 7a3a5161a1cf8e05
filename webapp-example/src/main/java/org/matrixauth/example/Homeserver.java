package org.matrixauth.example;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.MatrixAuth;
import org.matrixauth.auth.Requester;
import org.matrixauth.config.Settings;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.MatrixAuthFilter;

/**
 * What the example's endpoints share: the filter's {@link MatrixAuth} (found in the servlet
 * context), the homeserver's own store and keys, and the rules for user ids and new tokens.
 */
final class Homeserver {
    private static final String ATTRIBUTE = Homeserver.class.getName();
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Synapse's {@code base62_encode} alphabet: the filter checks the crc with it (FLOOD-1). */
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    final MatrixAuth auth;
    final HomeserverStore store;
    final Profiles profiles;
    final Devices devices;
    final Threepids threepids;
    final Deactivation deactivation;
    final Usernames usernames;
    final Passwords passwords;
    final String serverName;
    /** {@code registration_shared_secret}, or null when shared-secret registration is off. */
    final String registrationSharedSecret;
    /** {@code allow_guest_access}. */
    final boolean allowGuestAccess;
    /**
     * {@code matrix_authentication_service.enabled}: the authorization server logs users in and
     * provisions them, so the homeserver serves its provisioning API instead of its own login,
     * logout and registration, as Synapse does.
     */
    final boolean delegated;

    private Homeserver(MatrixAuth auth) {
        Settings settings = auth.config().settings();
        Jdbi jdbi = Jdbi.create(auth.dataSource());
        this.auth = auth;
        this.profiles = new Profiles(jdbi);
        this.devices = new Devices(jdbi);
        this.threepids = new Threepids(jdbi);
        this.store = new HomeserverStore(jdbi, profiles);
        this.deactivation = new Deactivation(auth.accounts(), store, threepids, profiles);
        this.passwords = new Passwords(settings.string("password_config.pepper", ""),
                settings.integer("bcrypt_rounds", 12, 4, 31));
        this.serverName = auth.config().serverName();
        this.registrationSharedSecret = settings.string("registration_shared_secret", null);
        this.allowGuestAccess = settings.bool("allow_guest_access", false);
        this.delegated = auth.authorizationServer().isPresent();
        this.usernames = new Usernames(serverName, store, auth.appServices(),
                settings.string("server_notices.system_mxid_localpart", null),
                settings.bool("allow_underscore_prefixed_localpart", false));
    }

    /** The filter starts first and publishes its {@link MatrixAuth}; the homeserver is built on first use. */
    static Homeserver of(ServletContext context) {
        synchronized (context) {
            Homeserver homeserver = (Homeserver) context.getAttribute(ATTRIBUTE);
            if (homeserver == null) {
                MatrixAuth auth = (MatrixAuth) context.getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE);
                if (auth == null) {
                    throw new IllegalStateException("MatrixAuthFilter is not running in this web application");
                }
                homeserver = new Homeserver(auth);
                context.setAttribute(ATTRIBUTE, homeserver);
            }
            return homeserver;
        }
    }

    static Requester requester(HttpServletRequest request) {
        return (Requester) request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE);
    }

    /** A full user id as given, or {@code @<localpart lower-cased>:<server_name>}. */
    String qualify(String user) {
        return user.startsWith("@") ? user : "@" + user.toLowerCase(Locale.ROOT) + ":" + serverName;
    }

    /** Synapse's {@code UserID(localpart, server_name)}: the localpart as given, never lower-cased. */
    String localUser(String localpart) {
        return "@" + localpart + ":" + serverName;
    }

    /** TOK-7: a lock asked for on a database without {@code users.locked} is the client's to learn of, not a 500. */
    void requireLocking() {
        if (!auth.accounts().lockingSupported()) {
            throw new MatrixException(400, "M_UNKNOWN", "This database has no users.locked column (Synapse before 1.91)");
        }
    }

    boolean isLocal(String userId) {
        return userId.startsWith("@") && userId.endsWith(":" + serverName) && userId.length() > serverName.length() + 2;
    }

    /**
     * BLK-7: every new access token passes auth blocking first, for the user who will own it,
     * except a user an appservice registers while appservice IPs are not tracked.
     *
     * @param appserviceGhost the token comes with an appservice's registration of the user
     *     (Synapse's {@code is_appservice_ghost}); an appservice's login is no such case
     */
    String issueToken(String ownerId, String deviceId, Long validUntilMs, String puppetsUserId, boolean appserviceGhost) {
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
        return new MacaroonsBuilder(serverName, key, "key")
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
