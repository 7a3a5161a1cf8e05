package org.matrixauth.example;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;

/**
 * Synapse's shared-secret registration ({@code /_synapse/admin/v1/register}): a nonce good for
 * 60 seconds and one use, and an HMAC-SHA1 with {@code registration_shared_secret} over nonce,
 * username, password, "admin" or "notadmin" and, when given, the user type, joined by NUL bytes.
 */
final class SharedSecretRegistration {
    static final long NONCE_LIFETIME_MS = 60_000;

    private final Map<String, Long> nonces = new ConcurrentHashMap<>();

    String newNonce() {
        long now = System.currentTimeMillis();
        nonces.values().removeIf(issued -> now - issued > NONCE_LIFETIME_MS);
        String nonce = HexFormat.of().formatHex(TokenIssuer.random(32).getBytes(StandardCharsets.US_ASCII));
        nonces.put(nonce, now);
        return nonce;
    }

    /** The message the MAC is taken over; also what {@code register_new_matrix_user} signs. */
    static String message(String nonce, String username, String password, boolean admin, String userType) {
        String message = nonce + "\0" + username + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
        return userType == null ? message : message + "\0" + userType;
    }

    static String mac(String secret, String message) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(hmac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks and uses up the nonce, then the MAC, in Synapse's order and words. */
    void verify(String secret, String nonce, String message, String mac) {
        Long issued = nonces.get(nonce);
        if (issued == null || System.currentTimeMillis() - issued > NONCE_LIFETIME_MS) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "unrecognised nonce");
        }
        byte[] expected = mac(secret, message).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, mac.getBytes(StandardCharsets.US_ASCII))) {
            throw MatrixException.forbidden("HMAC incorrect");
        }
        nonces.remove(nonce);
    }
}
