package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.H2Databases;
import org.matrixauth.testing.RawHttp;

/**
 * Routes that exist in one mode only, as Synapse registers them: the homeserver's own login and
 * logout ({@code undelegated}) only while it authenticates by itself, the authorization server's
 * provisioning API ({@code mas}) only while authentication is delegated. In the other mode each
 * is 404 M_UNRECOGNIZED before any token is looked at, as a path Synapse does not serve. The
 * authorization server is never asked here: an unreachable endpoint will do.
 */
class DelegationRoutesTest {
    static final String SECRET = "mas-shared-secret-for-route-tests";
    static final String ROUTES = """
            GET,POST  /_matrix/client/v3/login   public undelegated
            POST      /_matrix/client/v3/logout  expired undelegated
            /_synapse/mas/**                     mas
            """;

    static FilterServer server;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> own = new HashMap<>(Map.of("server_name", "test", "database", H2Databases.uniqueUrl(),
                RouteRules.INIT_PARAM, ROUTES));
        Map<String, String> delegated = new HashMap<>(own);
        delegated.putAll(Map.of("database", H2Databases.uniqueUrl(),
                "matrix_authentication_service.enabled", "true",
                "matrix_authentication_service.endpoint", "http://127.0.0.1:9/",
                "matrix_authentication_service.secret", SECRET));
        server = new FilterServer().context("/own", own).context("/delegated", delegated).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} {2} with {3} -> {4} {5}")
    @DisplayName("OAU-1 OAU-10 REQ-2: undelegated and mas routes exist in one mode each, as in Synapse")
    @CsvSource({
        // Without delegation: the homeserver's own login and logout are served; the provisioning API is not.
        "/own, GET, /_matrix/client/v3/login, none, 200, ",
        "/own, POST, /_matrix/client/v3/logout, none, 401, M_MISSING_TOKEN",
        "/own, POST, /_synapse/mas/provision_user, none, 404, M_UNRECOGNIZED",
        "/own, POST, /_synapse/mas/provision_user, secret, 404, M_UNRECOGNIZED",
        // With delegation: login and logout are the authorization server's, whatever the token.
        "/delegated, GET, /_matrix/client/v3/login, none, 404, M_UNRECOGNIZED",
        "/delegated, POST, /_matrix/client/v3/login, none, 404, M_UNRECOGNIZED",
        "/delegated, POST, /_matrix/client/v3/logout, none, 404, M_UNRECOGNIZED",
        "/delegated, POST, /_matrix/client/v3/logout, secret, 404, M_UNRECOGNIZED",
        "/delegated, POST, /_synapse/mas/provision_user, secret, 200, ",
        "/delegated, POST, /_synapse/mas/provision_user, none, 403, M_FORBIDDEN",
        "/delegated, POST, /_synapse/mas/provision_user, other, 403, M_FORBIDDEN",
    })
    void routesExistInTheirModeOnly(String context, String method, String path, String token, int status, String errcode)
            throws Exception {
        List<String> headers = switch (token) {
            case "secret" -> List.of("Authorization: Bearer " + SECRET);
            case "other" -> List.of("Authorization: Bearer someone-else");
            default -> List.of();
        };
        RawHttp.Response response = RawHttp.send("127.0.0.1", server.port(), method, context + path, headers);
        assertEquals(status, response.status(), response.body());
        assertEquals(errcode, response.json().get("errcode"), response.body());
        if ("M_UNRECOGNIZED".equals(errcode)) {
            assertEquals("Unrecognized request", response.json().get("error"));
        }
    }
}
