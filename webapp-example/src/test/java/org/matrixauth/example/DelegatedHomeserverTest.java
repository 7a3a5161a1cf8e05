package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;

/**
 * The example homeserver while authentication is delegated (SPEC section 12), against a real
 * authorization server ({@link OAuthServer}): clients discover it, its tokens work, and what
 * Synapse leaves to it (login, logout, registration, shared-secret registration, "login as user")
 * is answered as Synapse answers it in that mode.
 */
class DelegatedHomeserverTest {
    static final String SECRET = "mas-shared-secret-for-delegated-tests";
    static final String API = "urn:matrix:client:api:*";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String REGISTER = "/_matrix/client/v3/register";
    static final String APPSERVICE = "m.login.application_service";

    @RegisterExtension
    static final OAuthServer authorizationServer = OAuthServer.forTestClass(SECRET);

    @TempDir
    Path dir;

    private ExampleHomeserver homeserver;
    private MatrixClient client;

    @BeforeEach
    void start() throws Exception {
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "jdbc:h2:file:%s"
                app_service_config_files: ["%s"]
                allow_guest_access: true
                matrix_authentication_service:
                  enabled: true
                  endpoint: "%s"
                  secret: %s
                """.formatted(dir.resolve("homeserver"), Registrations.irc(dir), authorizationServer.endpoint(), SECRET));
        homeserver = ExampleHomeserver.start(config, 0);
        client = new MatrixClient("http://127.0.0.1:" + homeserver.port());
    }

    @AfterEach
    void stop() throws Exception {
        homeserver.stop();
    }

    /** What MAS does before a user's first session: the user, then the session's device. */
    private String provisionedSession(String localpart, String deviceId, String... extraScopes) throws Exception {
        assertEquals(201, client.post("/_synapse/mas/provision_user", SECRET, Map.of("localpart", localpart)).status());
        assertEquals(201, client.post("/_synapse/mas/upsert_device", SECRET, Map.of("localpart", localpart,
                "device_id", deviceId)).status());
        String[] scopes = new String[extraScopes.length + 2];
        scopes[0] = API;
        scopes[1] = "urn:matrix:client:device:" + deviceId;
        System.arraycopy(extraScopes, 0, scopes, 2, extraScopes.length);
        return authorizationServer.issue(localpart, null, Duration.ofHours(1), scopes);
    }

    @Test
    @DisplayName("OAU-1 the README's mas-homeserver.yaml is a configuration the filter starts from")
    void oau1TheConfigurationExampleLoads() {
        AuthConfig config = AuthConfig.load(Map.of(AuthConfig.CONFIG_FILE_KEY, "mas-homeserver.yaml"));
        assertEquals("example.org", config.serverName());
        assertEquals(true, config.delegation().enabled());
        assertEquals(URI.create("http://localhost:8080/"), config.delegation().endpoint());
    }

    @Test
    @DisplayName("OAU-9 auth_metadata and auth_issuer: the authorization server's, public, cacheable, at Synapse's paths")
    void oau9ClientDiscovery() throws Exception {
        Map<String, Object> metadata = new MatrixClient(authorizationServer.endpoint().toString().replaceAll("/$", ""))
                .get("/.well-known/openid-configuration", null).body();
        for (String path : List.of("/_matrix/client/v1/auth_metadata", "/_matrix/client/unstable/auth_metadata",
                "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata")) {
            for (List<String> headers : List.of(List.<String>of(), List.of("Authorization: Bearer not-a-token"))) {
                RawHttp.Response answer = RawHttp.send("127.0.0.1", homeserver.port(), "GET", path, headers);
                assertEquals(200, answer.status(), path + ": " + answer.body());
                assertEquals(metadata, answer.json(), path);
                assertEquals(AuthMetadataServlet.CACHE_CONTROL, answer.header("Cache-Control"), path);
            }
        }
        RawHttp.Response issuer = RawHttp.send("127.0.0.1", homeserver.port(), "GET",
                "/_matrix/client/unstable/org.matrix.msc2965/auth_issuer", List.of());
        assertEquals(Map.of("issuer", metadata.get("issuer")), issuer.json());
        assertEquals(AuthMetadataServlet.CACHE_CONTROL, issuer.header("Cache-Control"));
        assertEquals("M_UNRECOGNIZED", client.get("/_matrix/client/v1/org.matrix.msc2965/auth_issuer", null).errcode(),
                "the unstable issuer only under unstable, as Synapse");
        assertEquals(405, client.post("/_matrix/client/v1/auth_metadata", null, Map.of()).status());
        assertEquals(200, client.get("/_matrix/client/versions", null).status(), "versions stays public");
    }

    @Test
    @DisplayName("OAU-1 login, logout, shared-secret registration and login-as-user are not served (404), token or not")
    void oau1WhatTheAuthorizationServerDoesIsNotServed() throws Exception {
        String token = provisionedSession("lou", "LOUDEV", "urn:synapse:admin:*");
        assertEquals(Map.of("user_id", "@lou:test", "device_id", "LOUDEV", "is_guest", false, "org.matrix.msc3069.is_guest", false),
                client.get(WHOAMI, token).body());
        for (String version : List.of("r0", "v3")) {
            String prefix = "/_matrix/client/" + version;
            for (String method : List.of("GET", "POST", "PUT")) {
                assertUnrecognized(method, prefix + "/login", List.of());
            }
            for (String path : List.of(prefix + "/logout", prefix + "/logout/all")) {
                assertUnrecognized("POST", path, List.of());
                assertUnrecognized("POST", path, List.of("Authorization: Bearer " + token));
            }
        }
        assertUnrecognized("GET", "/_synapse/admin/v1/register", List.of());
        assertUnrecognized("POST", "/_synapse/admin/v1/register", List.of());
        assertUnrecognized("POST", "/_synapse/admin/v1/users/@lou:test/login", List.of("Authorization: Bearer " + token));
        assertEquals(200, client.get(WHOAMI, token).status(), "still logged in: logout is the server's");
    }

    private void assertUnrecognized(String method, String path, List<String> headers) throws Exception {
        RawHttp.Response answer = RawHttp.send("127.0.0.1", homeserver.port(), method, path, headers);
        assertEquals(404, answer.status(), method + " " + path + ": " + answer.body());
        assertEquals(Map.of("errcode", "M_UNRECOGNIZED", "error", "Unrecognized request"), answer.json(), method + " " + path);
    }

    @Test
    @DisplayName("OAU-1 registration is Synapse's RegisterAppServiceOnlyRestServlet: appservices only, inhibit_login, no token")
    void oau1RegistrationIsForAppservicesOnly() throws Exception {
        assertEquals(Map.of("errcode", "M_FORBIDDEN",
                        "error", "Registration has been disabled. Only m.login.application_service registrations are allowed."),
                client.post(REGISTER, null, Map.of("username", "eve", "password", "pw")).body());
        assertEquals(Map.of("errcode", "IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED", "error",
                        "This server uses OAuth2, so the inhibit_login parameter must be set to true for appservice registrations."),
                client.post(REGISTER, "as_irc_token", Map.of("type", APPSERVICE, "username", "_irc_bob")).body());
        Map<String, Object> inhibited = Map.of("type", APPSERVICE, "username", "_irc_bob", "inhibit_login", true);
        assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Guest access is disabled"),
                client.post(REGISTER + "?kind=guest", null, inhibited).body());
        assertEquals(Map.of("errcode", "M_UNRECOGNIZED", "error", "Do not understand membership kind: robot"),
                client.post(REGISTER + "?kind=robot", null, inhibited).body());
        assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Invalid username"), client.post(REGISTER, null,
                Map.of("type", APPSERVICE, "username", 5, "inhibit_login", true)).body());
        assertEquals(Map.of("errcode", "M_UNKNOWN",
                        "error", "Appservice token must be provided when using a type of m.login.application_service"),
                client.post(REGISTER, null, inhibited).body());
        assertEquals("M_NOT_JSON", client.post(REGISTER, null, "").errcode());

        assertEquals(Map.of("user_id", "@_irc_bob:test"), client.post(REGISTER, "as_irc_token", inhibited).body(),
                "no token, no device: the authorization server issues those");
        assertEquals("M_USER_IN_USE", client.post(REGISTER, "as_irc_token", inhibited).errcode());
        assertEquals("M_EXCLUSIVE", client.post(REGISTER, "as_irc_token", Map.of("type", APPSERVICE, "username", "carol",
                "inhibit_login", true)).errcode());
        MatrixClient.Answer user = client.post(REGISTER, provisionedSession("rae", "RAEDEV"), inhibited);
        assertEquals(401, user.status());
        assertEquals("M_UNKNOWN_TOKEN", user.errcode(), "a user's token is no appservice's");
    }

    @Test
    @DisplayName("OAU-7 CACHE-2 the admin API with the admin scope: deactivation ends the user's session at once")
    void oau7AdminScopeAndDeactivation() throws Exception {
        String admin = provisionedSession("ada", "ADADEV", "urn:synapse:admin:*");
        String user = provisionedSession("bo", "BODEV");
        assertEquals("M_FORBIDDEN", client.get("/_synapse/admin/v2/users/@bo:test", user).errcode(), "no admin scope");
        assertEquals(200, client.get(WHOAMI, user).status());
        assertEquals(200, client.put("/_synapse/admin/v2/users/@bo:test", admin, Map.of("deactivated", true)).status());
        MatrixClient.Answer after = client.get(WHOAMI, user);
        assertEquals(401, after.status());
        assertEquals("M_UNKNOWN_TOKEN", after.errcode());
        assertEquals(true, client.get("/_synapse/mas/query_user?localpart=bo", SECRET).body().get("is_deactivated"));
    }
}
