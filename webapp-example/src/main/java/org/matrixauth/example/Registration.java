package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.matrixauth.auth.Requester;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.ClientRequests;

/**
 * {@code POST /_matrix/client/{r0,v3}/register} as Synapse's two servlets for it answer: its own
 * (guests and appservice users; password registration is off, the example has no interactive
 * authentication) and, with delegated authentication, {@code RegisterAppServiceOnlyRestServlet}
 * (appservice users only, no token issued: the authorization server issues them).
 */
final class Registration {
    private Registration() {}

    /** Without delegation: guests, and users an appservice registers in its namespace. */
    static void register(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        JsonNode body = Json.body(request);
        if ("guest".equals(request.getParameter("kind"))) {
            registerGuest(response, homeserver);
            return;
        }
        boolean refreshRequested = TokenIssuer.refreshRequested(body); // RFT-1: checked first, as Synapse does
        Requester requester = Homeserver.requester(request);
        if (!ClientApiServlet.APPSERVICE_LOGIN.equals(Json.optionalString(body, "type"))) {
            throw MatrixException.forbidden("Registration has been disabled");
        }
        if (requester == null || !requester.isAppService()) {
            throw new MatrixException(401, Errcode.M_MISSING_TOKEN, "Missing access token");
        }
        String userId = registerAppServiceUser(homeserver, requester, Json.requiredString(body, "username"));
        respondRegistered(response, homeserver, userId, body, refreshRequested, true);
    }

    /** Synapse's guest registration: a numbered guest with a guest macaroon (MAC-1), blocked when full. */
    private static void registerGuest(HttpServletResponse response, Homeserver homeserver) throws IOException {
        if (!homeserver.allowGuestAccess || homeserver.auth.config().macaroonSecretKey() == null) {
            throw new MatrixException(403, Errcode.M_GUEST_ACCESS_FORBIDDEN, "Guest access is disabled");
        }
        homeserver.auth.blocking().checkNewUser(); // BLK-7
        String userId = homeserver.store.createGuest(homeserver.serverName);
        Json.write(response, 200, Map.of("user_id", userId, "access_token", homeserver.tokens.newGuestToken(userId),
                "device_id", "guest_device", "home_server", homeserver.serverName));
    }

    /**
     * Synapse's {@code _create_registration_details}: with {@code inhibit_login} the account is
     * made but no token is issued; a refresh token only where the client's registration asked
     * (the admin API's never does).
     */
    static void respondRegistered(HttpServletResponse response, Homeserver homeserver, String userId, JsonNode body,
                                  boolean refreshRequested, boolean appserviceGhost) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user_id", userId);
        result.put("home_server", homeserver.serverName);
        if (!Boolean.TRUE.equals(Json.optionalBoolean(body, "inhibit_login"))) {
            String deviceId = Json.optionalString(body, "device_id");
            String device = deviceId != null ? deviceId : homeserver.store.newDeviceId();
            result.putAll(homeserver.tokens.loginTokens(userId, device, refreshRequested, appserviceGhost));
            result.put("device_id", device);
        }
        Json.write(response, 200, result);
    }

    /** Synapse's {@code RegisterAppServiceOnlyRestServlet}, its checks in its order and words. */
    static void registerAppServiceOnly(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        JsonNode body = Json.requiredBody(request);
        if (!ClientApiServlet.APPSERVICE_LOGIN.equals(body.path("type").textValue())) {
            throw MatrixException.forbidden(
                    "Registration has been disabled. Only m.login.application_service registrations are allowed.");
        }
        if (!truthy(body.get("inhibit_login"))) {
            throw new MatrixException(400, Errcode.IO_ELEMENT_MSC4190_M_APPSERVICE_LOGIN_UNSUPPORTED,
                    "This server uses OAuth2, so the inhibit_login parameter must be set to true for appservice registrations.");
        }
        String kind = request.getParameter("kind") == null ? "user" : request.getParameter("kind");
        if (kind.equals("guest")) {
            throw new MatrixException(403, Errcode.M_UNKNOWN, "Guest access is disabled");
        }
        if (!kind.equals("user")) {
            throw new MatrixException(400, Errcode.M_UNRECOGNIZED, "Do not understand membership kind: " + kind);
        }
        JsonNode username = body.get("username");
        if (username == null || !username.isTextual() || username.textValue().length() > 512) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Invalid username");
        }
        if (!homeserver.auth.authentication().hasAccessToken(ClientRequests.of(request, homeserver.auth))) {
            throw new MatrixException(400, Errcode.M_UNKNOWN,
                    "Appservice token must be provided when using a type of m.login.application_service");
        }
        Requester requester = Homeserver.requester(request);
        if (requester == null || !requester.isAppService()) {
            throw MatrixException.unrecognisedToken();
        }
        Json.write(response, 200, Map.of("user_id", registerAppServiceUser(homeserver, requester, username.textValue())));
    }

    /** An appservice's user, in its namespace and not taken. */
    private static String registerAppServiceUser(Homeserver homeserver, Requester appService, String username) {
        homeserver.usernames.requireValidLocalpart(username.toLowerCase(Locale.ROOT));
        String userId = homeserver.userIds.qualify(username);
        if (!appService.appService().isInUserNamespace(userId)) {
            throw new MatrixException(400, Errcode.M_EXCLUSIVE, "Invalid user localpart for this application service.");
        }
        if (homeserver.store.userExists(userId)) {
            throw new MatrixException(400, Errcode.M_USER_IN_USE, "User ID already taken.");
        }
        homeserver.store.createUser(userId, null, false, false, null, appService.appService().id());
        return userId;
    }

    /** Python's truth of a JSON value, as Synapse's {@code not body.get(...)} tests it. */
    private static boolean truthy(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        return value.isTextual() ? !value.textValue().isEmpty() : value.size() > 0;
    }
}
