package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.matrixauth.Accounts;
import org.matrixauth.auth.Requester;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.account.Threepid;

/**
 * {@code /_synapse/admin/...}: shared-secret registration, "login as user", and creating or
 * modifying users, in the shapes of Synapse's admin API. All but registration are for server
 * admins (the route rule {@code admin}).
 */
public class AdminApiServlet extends MatrixServlet {
    private static final Set<String> USER_TYPES = Set.of("support", "bot");

    public AdminApiServlet() {
        super(RouteTable.ADMIN_API);
    }

    /** {@code GET /v1/register}: a nonce for {@link #register}. */
    static void registrationNonce(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        requireSharedSecret(homeserver);
        Json.write(response, 200, Map.of("nonce", homeserver.sharedSecretRegistration.newNonce()));
    }

    /** {@code GET /v2/users/<user id>}. */
    static void getUser(Matcher path, HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        requireUser(homeserver, path.group(1));
        Json.write(response, 200, homeserver.store.describe(path.group(1)));
    }

    private static void requireSharedSecret(Homeserver homeserver) {
        if (homeserver.registrationSharedSecret == null) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Shared secret registration is not enabled");
        }
    }

    static void register(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        requireSharedSecret(homeserver);
        JsonNode body = Json.body(request);
        String nonce = Json.requiredString(body, "nonce");
        String username = Json.requiredString(body, "username");
        String password = Json.requiredString(body, "password");
        if (username.contains("\0") || username.length() > 512) {
            throw new MatrixException(400, Errcode.M_INVALID_USERNAME, "Invalid username");
        }
        if (password.contains("\0") || password.length() > 512) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Invalid password");
        }
        boolean admin = Boolean.TRUE.equals(Json.optionalBoolean(body, "admin"));
        String userType = Json.optionalString(body, "user_type");
        if (userType != null && !USER_TYPES.contains(userType)) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Invalid user type");
        }
        String mac = Json.requiredString(body, "mac");
        homeserver.sharedSecretRegistration.verify(homeserver.registrationSharedSecret,
                nonce, SharedSecretRegistration.message(nonce, username, password, admin, userType), mac);

        String localpart = username.toLowerCase(Locale.ROOT);
        homeserver.usernames.requireValidLocalpart(localpart);
        String userId = homeserver.userIds.qualify(localpart);
        if (homeserver.store.userExists(userId)) {
            throw new MatrixException(400, Errcode.M_USER_IN_USE, "User ID already taken.");
        }
        homeserver.store.createUser(userId, homeserver.passwords.hash(password), admin, false, userType, null);
        // BLK-7: the account now exists; its token may still be refused.
        Registration.respondRegistered(response, homeserver, userId, body, false, false);
    }

    /** Synapse's "login as user": a puppet token owned by the admin, who is the one checked for blocking (BLK-7). */
    static void loginAsUser(Matcher path, HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        String userId = path.group(1);
        Requester admin = Homeserver.requester(request);
        JsonNode body = Json.body(request);
        Long validUntilMs = Json.optionalLong(body, "valid_until_ms");
        requireUser(homeserver, userId);
        if (userId.equals(admin.userId())) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Cannot use admin API to login as self");
        }
        String token = homeserver.tokens.issue(admin.userId(), null, validUntilMs, userId, false);
        Json.write(response, 200, Map.of("access_token", token));
    }

    private static void requireUser(Homeserver homeserver, String userId) {
        if (!homeserver.store.userExists(userId)) {
            throw new MatrixException(404, Errcode.M_NOT_FOUND, "User not found");
        }
    }

    /**
     * {@code PUT /v2/users/<user id>}: create or modify a user; every change that narrows what
     * tokens may do goes through {@link Accounts}.
     */
    static void putUser(Matcher path, HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        String userId = path.group(1);
        if (!homeserver.userIds.isLocal(userId)) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Can only add local users");
        }
        JsonNode body = Json.body(request);
        String password = Json.optionalString(body, "password");
        Boolean admin = Json.optionalBoolean(body, "admin");
        Boolean deactivated = Json.optionalBoolean(body, "deactivated");
        Boolean locked = Json.optionalBoolean(body, "locked");
        if (locked != null) {
            homeserver.requireLocking();
        }
        List<Threepid> threepids = threepids(body);
        boolean userTypeGiven = body.has("user_type");
        String userType = Json.optionalString(body, "user_type");
        if (userType != null && !USER_TYPES.contains(userType)) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Invalid user type");
        }
        boolean created = !homeserver.store.userExists(userId);
        if (created) {
            homeserver.usernames.requireValidLocalpart(userId.substring(1, userId.lastIndexOf(':' + homeserver.serverName)));
            homeserver.store.createUser(userId, password == null ? null : homeserver.passwords.hash(password),
                    Boolean.TRUE.equals(admin), false, userType, null);
        } else {
            if (password != null) {
                homeserver.store.setPasswordHash(userId, homeserver.passwords.hash(password));
            }
            if (admin != null) {
                homeserver.auth.accounts().setAdmin(userId, admin);
            }
            if (userTypeGiven) {
                homeserver.auth.accounts().setUserType(userId, userType);
            }
        }
        if (threepids != null) {
            homeserver.threepids.replace(userId, threepids);
        }
        if (locked != null) {
            homeserver.auth.accounts().setLocked(userId, locked);
        }
        if (Boolean.TRUE.equals(deactivated)) {
            homeserver.deactivation.deactivate(userId, false);
        }
        Json.write(response, created ? 201 : 200, homeserver.store.describe(userId));
    }

    private static List<Threepid> threepids(JsonNode body) {
        JsonNode list = body.get("threepids");
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw new MatrixException(400, Errcode.M_BAD_JSON, "threepids must be a list");
        }
        List<Threepid> threepids = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw new MatrixException(400, Errcode.M_BAD_JSON, "threepids must be a list of {medium, address}");
            }
            threepids.add(new Threepid(Json.requiredString(item, "medium"), Json.requiredString(item, "address")));
        }
        return threepids;
    }
}
