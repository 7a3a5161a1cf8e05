package org.matrixauth.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.CostlyCheckLimit;
import org.matrixauth.auth.Requester;
import org.matrixauth.auth.TokenAuthenticator;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.ratelimit.FailedTokenChecks;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.UserStore;

/**
 * Tokens issued by an OAuth 2.0 authorization server and checked by introspection (SPEC OAU-2..7),
 * as Synapse's {@code MasDelegatedAuth.get_user_by_access_token}. While delegation is on it claims
 * every token that is not an application service's (OAU-1): Synapse's access tokens and guest
 * macaroons are not asked.
 */
final class OAuthTokenAuthenticator implements TokenAuthenticator {
    static final String STABLE_API_SCOPE = "urn:matrix:client:api:*";
    static final String UNSTABLE_API_SCOPE = "urn:matrix:org.matrix.msc2967.client:api:*";
    static final String STABLE_DEVICE_PREFIX = "urn:matrix:client:device:";
    static final String UNSTABLE_DEVICE_PREFIX = "urn:matrix:org.matrix.msc2967.client:device:";
    static final String ADMIN_SCOPE = "urn:synapse:admin:*";

    private final IntrospectionCache introspections;
    private final Reachability reachability;
    private final UserStore users;
    private final DeviceStore devices;
    private final String serverName;
    private final byte[] sharedSecret;
    private final Clock clock;

    OAuthTokenAuthenticator(IntrospectionCache introspections, Reachability reachability, UserStore users,
                            DeviceStore devices, String serverName, String sharedSecret, Clock clock) {
        this.introspections = introspections;
        this.reachability = reachability;
        this.users = users;
        this.devices = devices;
        this.serverName = serverName;
        this.sharedSecret = sharedSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    @Override
    public Optional<Requester> authenticate(String token, ClientRequest request, CostlyCheckLimit limit) {
        if (isSharedSecret(token)) {
            throw notActive(); // OAU-10: the secret grants nothing by itself, and is not sent to be introspected
        }
        if (!introspections.isCached(token)) {
            // Asked before, not inside, the cache's load: a load is shared by concurrent requests
            // with the token, and one client's 429 must not become theirs.
            beforeIntrospection(limit);
        }
        Introspection answer;
        try {
            answer = introspections.get(token);
        } catch (IntrospectionFailure e) {
            throw unableToIntrospect();
        }
        if (!answer.isActive(clock.millis())) {
            throw notActive(); // OAU-3
        }
        if (!answer.scopes().contains(STABLE_API_SCOPE) && !answer.scopes().contains(UNSTABLE_API_SCOPE)) {
            throw MatrixException.unknownToken("Token doesn't grant access to the Matrix C-S API", false); // OAU-4
        }
        String userId = userId(answer);
        String deviceId = deviceId(answer).orElse(null);
        if (deviceId != null && !devices.deviceExists(userId, deviceId)) {
            introspections.evict(token); // OAU-6: the device was deleted, so its sessions are over
            throw notActive();
        }
        return Optional.of(Requester.user(userId)
                .deviceId(deviceId)
                .scopes(answer.scopes())
                .serverAdmin(answer.scopes().contains(ADMIN_SCOPE)) // OAU-7: users.admin is not consulted
                .build());
    }

    /**
     * FLOOD's limit, but a wait for a place that ends while the introspections holding the places
     * have had no answer is the authorization server's failure, not the client's: 503, not 429.
     */
    private void beforeIntrospection(CostlyCheckLimit limit) {
        long asked = System.nanoTime();
        try {
            limit.beforeCostlyCheck();
        } catch (MatrixException refused) {
            if (FailedTokenChecks.isBusy(refused) && reachability.silentSince(asked)) {
                throw unableToIntrospect();
            }
            throw refused;
        }
    }

    /** OAU-2, with the time after which asking again may find the server back. */
    private static MatrixException unableToIntrospect() {
        return new MatrixException(503, Errcode.M_UNKNOWN, "Unable to introspect the access token",
                Map.of("retry_after_ms", Reachability.PROBE_INTERVAL_MS));
    }

    /** OAU-10, in constant time so that the comparison tells nothing of the secret. */
    boolean isSharedSecret(String token) {
        return token != null && MessageDigest.isEqual(sharedSecret, token.getBytes(StandardCharsets.UTF_8));
    }

    /** OAU-5: {@code @<username>:<server_name>}, and a row in {@code users}. */
    private String userId(Introspection answer) {
        if (answer.username() == null) {
            throw serverError("Invalid username claim in the introspection result");
        }
        String userId = "@" + answer.username() + ":" + serverName;
        if (users.findUser(userId).isEmpty()) {
            throw serverError("User not found");
        }
        return userId;
    }

    /** OAU-6: the explicit {@code device_id}, else the one device a scope names. */
    private static Optional<String> deviceId(Introspection answer) {
        String deviceId = answer.deviceId();
        if (deviceId == null) {
            Set<String> named = new HashSet<>();
            for (String scope : answer.scopes()) {
                if (scope.startsWith(STABLE_DEVICE_PREFIX)) {
                    named.add(scope.substring(STABLE_DEVICE_PREFIX.length()));
                } else if (scope.startsWith(UNSTABLE_DEVICE_PREFIX)) {
                    named.add(scope.substring(UNSTABLE_DEVICE_PREFIX.length()));
                }
            }
            if (named.size() > 1) {
                throw serverError("Multiple device IDs in scope");
            }
            deviceId = named.isEmpty() ? null : named.iterator().next();
        }
        if (deviceId != null && (deviceId.isEmpty() || deviceId.length() > 255 || deviceId.indexOf('\0') >= 0)) {
            throw serverError("Invalid device ID in introspection result");
        }
        return Optional.ofNullable(deviceId);
    }

    private static MatrixException notActive() {
        return MatrixException.unknownToken("Token is not active", false);
    }

    /** Synapse's {@code AuthError(500, ...)}: the errcode is its default, M_FORBIDDEN. */
    private static MatrixException serverError(String error) {
        return new MatrixException(500, Errcode.M_FORBIDDEN, error);
    }
}
