package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.matrixauth.SessionTokens;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.Requester;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.ClientRequests;
import org.matrixauth.account.UserRecord;

/** {@code /_matrix/client/{r0,v3}/...}: whoami, login, logout, register ({@link Registration}), in Synapse's shapes. */
public class ClientApiServlet extends MatrixServlet {
    static final String PASSWORD_LOGIN = "m.login.password";
    static final String APPSERVICE_LOGIN = "m.login.application_service";

    public ClientApiServlet() {
        super(RouteTable.CLIENT_API);
    }

    static void whoami(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        Requester requester = Homeserver.requester(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", requester.userId());
        if (requester.deviceId() != null) {
            body.put("device_id", requester.deviceId());
        }
        body.put("is_guest", requester.isGuest());
        body.put("org.matrix.msc3069.is_guest", requester.isGuest());
        Json.write(response, 200, body);
    }

    static void loginFlows(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        Json.write(response, 200, Map.of("flows", List.of(Map.of("type", PASSWORD_LOGIN), Map.of("type", APPSERVICE_LOGIN))));
    }

    static void logout(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        homeserver.auth.accounts().logOut(Homeserver.requester(request));
        Json.write(response, 200, Map.of());
    }

    static void logoutAll(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        homeserver.auth.accounts().logOutEverywhere(Homeserver.requester(request).userId());
        Json.write(response, 200, Map.of());
    }

    /**
     * With delegated authentication registration is for appservices only: Synapse registers
     * {@code RegisterAppServiceOnlyRestServlet} instead of its own (rest/client/register.py).
     */
    static void register(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        if (homeserver.delegated) {
            Registration.registerAppServiceOnly(request, response, homeserver);
        } else {
            Registration.register(request, response, homeserver);
        }
    }

    static void login(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        JsonNode body = Json.body(request);
        boolean refreshRequested = TokenIssuer.refreshRequested(body); // RFT-1: checked first, as Synapse does
        String type = Json.requiredString(body, "type");
        String userId = homeserver.userIds.qualify(loginUser(body));
        String deviceId = Json.optionalString(body, "device_id");
        switch (type) {
            case PASSWORD_LOGIN -> checkPassword(homeserver, userId, Json.requiredString(body, "password"));
            case APPSERVICE_LOGIN -> {
                // As Synapse: the appservice's token authenticates this request, in the servlet.
                Requester appService = homeserver.auth.authentication().authenticate(ClientRequests.of(request, homeserver.auth),
                        AuthOptions.STRICT);
                if (!appService.isAppService() || !appService.appService().isInterestedInUser(userId)) {
                    throw MatrixException.forbidden("Invalid access_token");
                }
                if (!homeserver.store.userExists(userId)) {
                    throw MatrixException.forbidden("User " + userId + " is not registered");
                }
            }
            default -> throw new MatrixException(400, Errcode.M_UNKNOWN, "Unknown login type " + type);
        }
        String device = deviceId != null ? deviceId : homeserver.store.newDeviceId();
        Map<String, Object> result = new LinkedHashMap<>(Map.of("user_id", userId, "device_id", device,
                "home_server", homeserver.serverName));
        // BLK-7: an appservice's login is blocked like a password login (Synapse's
        // is_appservice_ghost is for registration only).
        result.putAll(homeserver.tokens.loginTokens(userId, device, refreshRequested, false));
        Json.write(response, 200, result);
    }

    /**
     * RFT-2..5: {@code POST /refresh}, Synapse's {@code RefreshTokenServlet}: the library's checks
     * and answers; not there (404) while refresh tokens are off, as Synapse registers it only then.
     */
    static void refresh(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        if (!homeserver.auth.refreshTokens().enabled()) {
            throw MatrixException.unrecognized(404);
        }
        JsonNode body = Json.requiredBody(request);
        JsonNode token = body.get("refresh_token");
        if (token == null) {
            throw new MatrixException(400, Errcode.M_MISSING_PARAM, "Missing params: ['refresh_token']");
        }
        if (!token.isTextual()) {
            throw new MatrixException(400, Errcode.M_INVALID_PARAM, "Invalid param: refresh_token");
        }
        SessionTokens tokens = homeserver.auth.refreshTokens().refresh(token.textValue());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("access_token", tokens.accessToken());
        result.put("refresh_token", tokens.refreshToken());
        if (tokens.expiresInMs() != null) {
            result.put("expires_in_ms", tokens.expiresInMs());
        }
        Json.write(response, 200, result);
    }

    /** {@code identifier: {type: m.id.user, user}}, or the older top-level {@code user}. */
    private static String loginUser(JsonNode body) {
        JsonNode identifier = body.get("identifier");
        if (identifier != null && !identifier.isNull()) {
            if (!identifier.isObject() || !"m.id.user".equals(identifier.path("type").asText())) {
                throw new MatrixException(400, Errcode.M_UNKNOWN, "Unknown login identifier type");
            }
            return Json.requiredString(identifier, "user");
        }
        return Json.requiredString(body, "user");
    }

    private static void checkPassword(Homeserver homeserver, String userId, String password) {
        UserRecord user = homeserver.auth.accounts().user(userId).orElse(null);
        if (user == null || !homeserver.passwords.matches(password, homeserver.store.passwordHash(userId).orElse(null))) {
            throw MatrixException.forbidden("Invalid username or password");
        }
        if (user.deactivated()) {
            throw new MatrixException(403, Errcode.M_USER_DEACTIVATED, "This account has been deactivated");
        }
        if (user.locked()) {
            throw MatrixException.userLocked();
        }
    }
}
