package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.TestDatabase;

/**
 * MAS's provisioning API ({@code /_synapse/mas/*}) on the example homeserver, one test per
 * endpoint, with the request and response bodies of Synapse's rest/synapse/mas/users.py and
 * devices.py: unknown users, repeated calls and bad bodies get Synapse's errors, and never a 500
 * ({@link MatrixClient} fails on any 5xx). On H2, PostgreSQL and a database Synapse 1.50 created
 * (its own profiles table, no users.locked). The authorization server itself is not needed: MAS
 * calls these with the shared secret, which the homeserver checks alone.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL", "SYNAPSE_1_50"})
class MasProvisioningApiTest {
    static final String SECRET = "mas-shared-secret-for-provisioning-tests";
    static final String FORBIDDEN = "This endpoint must only be called by MAS";
    /** Every endpoint Synapse mounts under /_synapse/mas, with its method. */
    static final Map<String, String> ENDPOINTS = Map.ofEntries(
            Map.entry("query_user", "GET"), Map.entry("is_localpart_available", "GET"),
            Map.entry("provision_user", "POST"), Map.entry("delete_user", "POST"), Map.entry("reactivate_user", "POST"),
            Map.entry("set_displayname", "POST"), Map.entry("unset_displayname", "POST"),
            Map.entry("allow_cross_signing_reset", "POST"), Map.entry("upsert_device", "POST"),
            Map.entry("delete_device", "POST"), Map.entry("update_device_display_name", "POST"),
            Map.entry("sync_devices", "POST"));

    @Parameter
    DatabaseKind databaseKind;
    @TempDir
    static Path dir;

    // One homeserver per database kind, for all its tests (each test uses users of its own).
    private static DatabaseKind kind;
    private static TestDatabase database;
    private static ExampleHomeserver homeserver;
    private static MatrixClient client;

    @BeforeParameterizedClassInvocation
    static void start(DatabaseKind databaseKind) throws Exception {
        kind = databaseKind;
        database = kind.create();
        Path bridge = Files.writeString(dir.resolve("bridge.yaml"), """
                id: bridge
                url: null
                as_token: as_bridge_token
                hs_token: hs_bridge_token
                sender_localpart: bridgebot
                namespaces:
                  users: [{regex: '@bridge_.*', exclusive: true}]
                """);
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "%s"
                app_service_config_files: ["%s"]
                matrix_authentication_service:
                  enabled: true
                  endpoint: http://127.0.0.1:9/
                  secret: %s
                """.formatted(database.jdbcUrl(), bridge, SECRET));
        homeserver = ExampleHomeserver.start(config, 0);
        client = new MatrixClient("http://127.0.0.1:" + homeserver.port());
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        homeserver.stop();
        database.close();
    }

    private MatrixClient.Answer post(String endpoint, Object body) throws Exception {
        return client.post("/_synapse/mas/" + endpoint, SECRET, body);
    }

    private MatrixClient.Answer get(String endpointAndQuery) throws Exception {
        return client.get("/_synapse/mas/" + endpointAndQuery, SECRET);
    }

    private Map<String, Object> queryUser(String localpart) throws Exception {
        MatrixClient.Answer answer = get("query_user?localpart=" + localpart);
        assertEquals(200, answer.status(), answer.body().toString());
        return answer.body();
    }

    private void provision(String localpart) throws Exception {
        assertEquals(201, post("provision_user", Map.of("localpart", localpart)).status());
    }

    private Object value(String sql) {
        return DatabaseRows.value(database.jdbcUrl(), sql);
    }

    private long count(String sql) {
        return DatabaseRows.count(database.jdbcUrl(), sql);
    }

    private static void assertError(int status, String errcode, MatrixClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body().toString());
        assertEquals(errcode, answer.errcode(), answer.body().toString());
    }

    private static void assertNotFound(MatrixClient.Answer answer) {
        assertEquals(Map.of("errcode", "M_NOT_FOUND", "error", "User not found"), answer.body());
        assertEquals(404, answer.status());
    }

    /**
     * What every endpoint that changes a user shares: the same call again is answered as the first,
     * an unknown user is 404, and bad bodies are refused as Synapse refuses them.
     */
    private void assertRepeatableAndStrict(String endpoint, String requiredField, Map<String, Object> valid, int status)
            throws Exception {
        assertEquals(status, post(endpoint, valid).status(), endpoint + " again");
        Map<String, Object> unknownUser = new HashMap<>(valid);
        unknownUser.put("localpart", "nobody");
        assertNotFound(post(endpoint, unknownUser));
        assertBadBodiesRefused(endpoint, requiredField, valid);
    }

    /** Synapse's pydantic refusals: one missing field, one wrong type, several problems, no JSON at all. */
    private void assertBadBodiesRefused(String endpoint, String requiredField, Map<String, Object> valid) throws Exception {
        Map<String, Object> missing = new HashMap<>(valid);
        missing.remove(requiredField);
        MatrixClient.Answer answer = post(endpoint, missing);
        assertError(400, "M_MISSING_PARAM", answer);
        assertTrue(answer.string("error").startsWith("1 validation error for PostBody\n" + requiredField + "\n  Field required"),
                answer.string("error"));
        Map<String, Object> wrongType = new HashMap<>(valid);
        wrongType.put(requiredField, List.of(5));
        assertError(400, "M_BAD_JSON", post(endpoint, wrongType));
        assertError(400, "M_BAD_JSON", post(endpoint, Map.of("localpart", 5, "device_id", 5, "displayname", 5,
                "display_name", 5, "devices", 5, "erase", "yes")));
        assertError(400, "M_NOT_JSON", post(endpoint, "{not json"));
        assertError(400, "M_NOT_JSON", post(endpoint, ""));
        assertError(400, "M_BAD_JSON", post(endpoint, "[1, 2]"));
        assertError(400, "M_INVALID_PARAM", post(endpoint, Map.of("localpart", "a\u0000b", "device_id", "D",
                "displayname", "x", "display_name", "x", "devices", List.of(), "erase", false)));
    }

    @Test
    @DisplayName("OAU-10 query_user: the profile and state of a user by localpart; 404 for anyone else")
    void queryUser() throws Exception {
        assertEquals(201, post("provision_user", Map.of("localpart", "quinn", "set_displayname", "Quinn",
                "set_avatar_url", "mxc://test/quinn")).status());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("user_id", "@quinn:test");
        expected.put("display_name", "Quinn");
        expected.put("avatar_url", "mxc://test/quinn");
        expected.put("is_suspended", false);
        expected.put("is_deactivated", false);
        assertEquals(expected, queryUser("quinn"));
        assertNotFound(get("query_user?localpart=nobody"));
        assertNotFound(get("query_user?localpart=QUINN"));
        assertNotFound(get("query_user?localpart=%00"));
        assertEquals(Map.of("errcode", "M_MISSING_PARAM", "error", "Missing string query parameter 'localpart'"),
                get("query_user").body());
        assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Query parameter 'localpart' must be ascii"),
                get("query_user?localpart=%C3%A9").body());
        assertEquals(expected, queryUser("quinn"), "asked again, the same");
    }

    @Test
    @DisplayName("OAU-10 provision_user: 201 and a user with Synapse's profile; 200 for each later change")
    void provisionUser() throws Exception {
        assertEquals(Map.of(), post("provision_user", Map.of("localpart", "pat", "set_emails", List.of("Pat@Example.ORG"))).body());
        assertEquals(1, count("SELECT COUNT(*) FROM users WHERE name = '@pat:test' AND password_hash IS NULL AND deactivated = 0"));
        assertEquals("pat", queryUser("pat").get("display_name"), "Synapse's default display name: the localpart");
        assertEquals("pat@example.org", value("SELECT address FROM user_threepids WHERE user_id = '@pat:test'"),
                "canonicalised: local part case-folded, domain lower-cased");

        MatrixClient.Answer again = post("provision_user", Map.of("localpart", "pat", "set_displayname", "  Pat Doe  ",
                "set_avatar_url", "mxc://test/pat", "set_emails", List.of("pat@example.org", "p2@example.org")));
        assertEquals(200, again.status(), again.body().toString());
        assertEquals(Map.of(), again.body());
        assertEquals("Pat Doe", queryUser("pat").get("display_name"), "trimmed, as Synapse's set_displayname");
        assertEquals(Set.of("pat@example.org", "p2@example.org"), emails("@pat:test"));
        assertEquals(200, post("provision_user", Map.of("localpart", "pat", "unset_displayname", true,
                "unset_avatar_url", true, "unset_emails", true)).status());
        assertNull(queryUser("pat").get("display_name"));
        assertNull(queryUser("pat").get("avatar_url"));
        assertEquals(Set.of(), emails("@pat:test"));

        if (kind == DatabaseKind.SYNAPSE_1_50) {
            assertError(400, "M_UNKNOWN", post("provision_user", Map.of("localpart", "pat", "locked", true)));
        } else {
            assertEquals(200, post("provision_user", Map.of("localpart", "pat", "locked", true)).status());
            assertEquals(true, value("SELECT locked FROM users WHERE name = '@pat:test'"));
            assertEquals(200, post("provision_user", Map.of("localpart", "pat", "locked", false)).status());
            assertEquals(false, value("SELECT locked FROM users WHERE name = '@pat:test'"));
        }

        // Synapse's check_username for a new user, in its order and words.
        assertEquals(Map.of("errcode", "M_INVALID_USERNAME", "error", "User ID can only contain characters a-z, 0-9, or '=_-./+'"),
                post("provision_user", Map.of("localpart", "Pat!")).body());
        assertEquals("User ID cannot be empty", post("provision_user", Map.of("localpart", "")).string("error"));
        assertEquals("User ID may not begin with _", post("provision_user", Map.of("localpart", "_pat")).string("error"));
        assertEquals(Map.of("errcode", "M_EXCLUSIVE", "error", "This user ID is reserved by an application service."),
                post("provision_user", Map.of("localpart", "bridge_pat")).body());
        assertEquals("M_EXCLUSIVE", post("provision_user", Map.of("localpart", "bridgebot")).errcode(), "the sender");
        assertEquals("Numeric user IDs are reserved for guest users.",
                post("provision_user", Map.of("localpart", "12345")).string("error"));
        assertEquals("User ID may not be longer than 255 characters",
                post("provision_user", Map.of("localpart", "p".repeat(250))).string("error"));

        // A refusal changes nothing: the user is not made first.
        assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Unable to parse email address"),
                post("provision_user", Map.of("localpart", "robin", "set_emails", List.of("not-an-address"))).body());
        assertNotFound(get("query_user?localpart=robin"));
        assertError(400, "M_UNKNOWN", post("provision_user", Map.of("localpart", "pat", "set_avatar_url", "x".repeat(1001))));

        // Synapse's model validator refuses set and unset together, whatever their values.
        MatrixClient.Answer both = post("provision_user", Map.of("localpart", "pat", "set_displayname", "P",
                "unset_displayname", false));
        assertError(400, "M_INVALID_PARAM", both);
        assertTrue(both.string("error").contains("Cannot specify both unset_displayname and set_displayname"));
        assertError(400, "M_INVALID_PARAM", post("provision_user", Map.of("localpart", "pat", "set_emails", List.of(),
                "unset_emails", true)));
        assertError(400, "M_BAD_JSON", post("provision_user", Map.of("localpart", "pat", "locked", "yes")));
        assertError(400, "M_BAD_JSON", post("provision_user", Map.of("localpart", "pat", "set_emails", "pat@example.org")));
        assertBadBodiesRefused("provision_user", "localpart", Map.of("localpart", "pat"));
    }

    private Set<String> emails(String userId) {
        return strings("SELECT address FROM user_threepids WHERE user_id = '" + userId + "'");
    }

    private Set<String> strings(String sql) {
        Set<String> values = new TreeSet<>();
        DatabaseRows.column(database.jdbcUrl(), sql).forEach(value -> values.add((String) value));
        return values;
    }

    @Test
    @DisplayName("OAU-10 is_localpart_available: 200 when Synapse would register it, else its reason")
    void isLocalpartAvailable() throws Exception {
        assertEquals(Map.of(), get("is_localpart_available?localpart=fresh").body());
        provision("taken");
        assertEquals(Map.of("errcode", "M_USER_IN_USE", "error", "User ID already taken."),
                get("is_localpart_available?localpart=taken").body());
        assertEquals("M_INVALID_USERNAME", get("is_localpart_available?localpart=Fresh").errcode());
        assertEquals("M_EXCLUSIVE", get("is_localpart_available?localpart=bridge_x").errcode());
        assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Missing localpart"), get("is_localpart_available").body());
        assertEquals(400, get("is_localpart_available?localpart=%00").status());
        assertEquals(200, get("is_localpart_available?localpart=fresh").status(), "still free: asking makes nothing");
    }

    @Test
    @DisplayName("OAU-10 CACHE-2 delete_user: deactivated, devices and threepids gone, the profile only with erase")
    void deleteUser() throws Exception {
        assertEquals(201, post("provision_user", Map.of("localpart", "dana", "set_emails", List.of("dana@example.org"))).status());
        assertEquals(201, post("upsert_device", Map.of("localpart", "dana", "device_id", "DANAPHONE")).status());
        assertEquals(Map.of(), post("delete_user", Map.of("localpart", "dana", "erase", false)).body());
        assertEquals(true, queryUser("dana").get("is_deactivated"));
        assertEquals("dana", queryUser("dana").get("display_name"), "kept without erase");
        assertEquals(0, count("SELECT COUNT(*) FROM devices WHERE user_id = '@dana:test'"));
        assertEquals(0, count("SELECT COUNT(*) FROM user_threepids WHERE user_id = '@dana:test'"));
        assertEquals(200, post("delete_user", Map.of("localpart", "dana", "erase", true)).status(), "again, and erased");
        assertNull(queryUser("dana").get("display_name"));
        assertEquals(0, count("SELECT COUNT(*) FROM profiles WHERE user_id = 'dana'"));
        assertRepeatableAndStrict("delete_user", "erase", Map.of("erase", false, "localpart", "dana"), 200);
    }

    @Test
    @DisplayName("OAU-10 CACHE-2 reactivate_user: active again, with a blank profile after an erasure")
    void reactivateUser() throws Exception {
        provision("remy");
        assertEquals(200, post("delete_user", Map.of("localpart", "remy", "erase", true)).status());
        assertEquals(Map.of(), post("reactivate_user", Map.of("localpart", "remy")).body());
        assertEquals(false, queryUser("remy").get("is_deactivated"));
        assertEquals(1, count("SELECT COUNT(*) FROM profiles WHERE user_id = 'remy' AND displayname IS NULL"));
        assertRepeatableAndStrict("reactivate_user", "localpart", Map.of("localpart", "remy"), 200);
    }

    @Test
    @DisplayName("OAU-10 set_displayname: trimmed, at most 256 characters")
    void setDisplayname() throws Exception {
        provision("sam");
        assertEquals(Map.of(), post("set_displayname", Map.of("localpart", "sam", "displayname", " Sam ")).body());
        assertEquals("Sam", queryUser("sam").get("display_name"));
        assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Displayname is too long (max 256)"),
                post("set_displayname", Map.of("localpart", "sam", "displayname", "s".repeat(257))).body());
        assertEquals(200, post("set_displayname", Map.of("localpart", "sam", "displayname", "\uD83D\uDE00".repeat(256))).status(),
                "256 characters, counted as Python counts them");
        assertRepeatableAndStrict("set_displayname", "displayname", Map.of("displayname", "Sam", "localpart", "sam"), 200);
    }

    @Test
    @DisplayName("OAU-10 unset_displayname: the display name removed")
    void unsetDisplayname() throws Exception {
        provision("uma");
        assertEquals(Map.of(), post("unset_displayname", Map.of("localpart", "uma")).body());
        assertNull(queryUser("uma").get("display_name"));
        assertRepeatableAndStrict("unset_displayname", "localpart", Map.of("localpart", "uma"), 200);
    }

    @Test
    @DisplayName("OAU-10 allow_cross_signing_reset: as Synapse for a user without cross-signing keys, 200 and nothing else")
    void allowCrossSigningReset() throws Exception {
        provision("cleo");
        assertEquals(Map.of(), post("allow_cross_signing_reset", Map.of("localpart", "cleo")).body());
        assertRepeatableAndStrict("allow_cross_signing_reset", "localpart", Map.of("localpart", "cleo"), 200);
    }

    @Test
    @DisplayName("OAU-10 upsert_device: 201 when made, 200 when there (renamed when a name is given)")
    void upsertDevice() throws Exception {
        provision("uli");
        assertEquals(201, post("upsert_device", Map.of("localpart", "uli", "device_id", "ULIPHONE", "display_name", "Phone")).status());
        assertEquals("Phone", value("SELECT display_name FROM devices WHERE user_id = '@uli:test' AND device_id = 'ULIPHONE'"));
        MatrixClient.Answer again = post("upsert_device", Map.of("localpart", "uli", "device_id", "ULIPHONE"));
        assertEquals(200, again.status());
        assertEquals(Map.of(), again.body());
        assertEquals("Phone", value("SELECT display_name FROM devices WHERE user_id = '@uli:test' AND device_id = 'ULIPHONE'"),
                "no name given: kept");
        assertEquals(200, post("upsert_device", Map.of("localpart", "uli", "device_id", "ULIPHONE", "display_name", "New")).status());
        assertEquals("New", value("SELECT display_name FROM devices WHERE user_id = '@uli:test' AND device_id = 'ULIPHONE'"));
        assertEquals(Map.of("errcode", "M_TOO_LARGE", "error", "Device display name is too long (max 100)"),
                post("upsert_device", Map.of("localpart", "uli", "device_id", "X", "display_name", "n".repeat(101))).body());
        assertEquals(Map.of("errcode", "M_INVALID_PARAM", "error", "device_id cannot be longer than 512 characters."),
                post("upsert_device", Map.of("localpart", "uli", "device_id", "D".repeat(513))).body());
        database.execute("INSERT INTO devices (user_id, device_id, hidden) VALUES ('@uli:test', 'MASTERKEY', TRUE)");
        assertEquals(Map.of("errcode", "M_FORBIDDEN", "error", "The device ID is in use"),
                post("upsert_device", Map.of("localpart", "uli", "device_id", "MASTERKEY")).body());
        assertRepeatableAndStrict("upsert_device", "device_id", Map.of("localpart", "uli", "device_id", "ULIPHONE"), 200);
    }

    @Test
    @DisplayName("OAU-10 OAU-8 delete_device: 204 without a body, the device and its tokens gone")
    void deleteDevice() throws Exception {
        provision("dev");
        assertEquals(201, post("upsert_device", Map.of("localpart", "dev", "device_id", "DEVPHONE")).status());
        MatrixClient.Answer deleted = post("delete_device", Map.of("localpart", "dev", "device_id", "DEVPHONE"));
        assertEquals(204, deleted.status());
        assertEquals(Map.of(), deleted.body(), "no body");
        assertEquals(0, count("SELECT COUNT(*) FROM devices WHERE user_id = '@dev:test'"));
        assertRepeatableAndStrict("delete_device", "device_id", Map.of("localpart", "dev", "device_id", "DEVPHONE"), 204);
    }

    @Test
    @DisplayName("OAU-10 update_device_display_name: 404 M_NOT_FOUND for a device the user does not have")
    void updateDeviceDisplayName() throws Exception {
        provision("una");
        assertEquals(201, post("upsert_device", Map.of("localpart", "una", "device_id", "UNAPAD")).status());
        assertEquals(Map.of(), post("update_device_display_name", Map.of("localpart", "una", "device_id", "UNAPAD",
                "display_name", "Pad")).body());
        assertEquals("Pad", value("SELECT display_name FROM devices WHERE user_id = '@una:test' AND device_id = 'UNAPAD'"));
        assertEquals(Map.of("errcode", "M_NOT_FOUND", "error", "Not found"), post("update_device_display_name",
                Map.of("localpart", "una", "device_id", "NONE", "display_name", "x")).body());
        assertEquals("M_TOO_LARGE", post("update_device_display_name", Map.of("localpart", "una", "device_id", "UNAPAD",
                "display_name", "n".repeat(101))).errcode());
        assertRepeatableAndStrict("update_device_display_name", "display_name", Map.of("display_name", "Pad",
                "localpart", "una", "device_id", "UNAPAD"), 200);
    }

    @Test
    @DisplayName("OAU-10 OAU-8 sync_devices: the user's devices become those listed, the dehydrated one apart")
    void syncDevices() throws Exception {
        provision("syd");
        for (String device : List.of("KEEP", "DROP")) {
            assertEquals(201, post("upsert_device", Map.of("localpart", "syd", "device_id", device)).status());
        }
        if (kind == DatabaseKind.SYNAPSE_1_50) { // only Synapse's schema has dehydrated devices (MSC3814)
            database.execute("INSERT INTO devices (user_id, device_id, hidden) VALUES ('@syd:test', 'DEHYDRATED', FALSE)",
                    "INSERT INTO dehydrated_devices (user_id, device_id, device_data) VALUES ('@syd:test', 'DEHYDRATED', '{}')");
        }
        assertEquals(Map.of(), post("sync_devices", Map.of("localpart", "syd", "devices", List.of("KEEP", "NEW"))).body());
        Set<String> expected = new TreeSet<>(List.of("KEEP", "NEW"));
        if (kind == DatabaseKind.SYNAPSE_1_50) {
            expected.add("DEHYDRATED");
        }
        assertEquals(expected, devices("@syd:test"));
        assertEquals(200, post("sync_devices", Map.of("localpart", "syd", "devices", List.of("KEEP", "NEW"))).status(), "again");
        assertEquals(expected, devices("@syd:test"));
        assertEquals(200, post("sync_devices", Map.of("localpart", "syd", "devices", List.of())).status());
        expected.removeAll(List.of("KEEP", "NEW"));
        assertEquals(expected, devices("@syd:test"));
        MatrixClient.Answer badItem = post("sync_devices", Map.of("localpart", "syd", "devices", List.of("A", 5)));
        assertError(400, "M_BAD_JSON", badItem);
        assertTrue(badItem.string("error").contains("devices.1\n  Input should be a valid string"), badItem.string("error"));
        assertRepeatableAndStrict("sync_devices", "devices", Map.of("localpart", "syd", "devices", List.of()), 200);
    }

    private Set<String> devices(String userId) {
        return strings("SELECT device_id FROM devices WHERE user_id = '" + userId + "'");
    }

    @Test
    @DisplayName("OAU-10 only the shared secret: anything else 403 on every endpoint; another method 405, another path 404")
    void oau10OnlyTheSharedSecret() throws Exception {
        int port = homeserver.port();
        for (Map.Entry<String, String> endpoint : ENDPOINTS.entrySet()) {
            String path = "/_synapse/mas/" + endpoint.getKey();
            for (List<String> headers : List.of(List.<String>of(), List.of("Authorization: Bearer " + SECRET + "x"),
                    List.of("Authorization: Bearer as_bridge_token"))) {
                RawHttp.Response refused = RawHttp.send("127.0.0.1", port, endpoint.getValue(), path, headers);
                assertEquals(403, refused.status(), path + " " + headers);
                assertEquals(Map.of("errcode", "M_FORBIDDEN", "error", FORBIDDEN), refused.json(), path);
            }
            String otherMethod = endpoint.getValue().equals("GET") ? "POST" : "GET";
            RawHttp.Response wrongMethod = RawHttp.send("127.0.0.1", port, otherMethod, path, List.of());
            assertEquals(405, wrongMethod.status(), otherMethod + " " + path);
            assertEquals("M_UNRECOGNIZED", wrongMethod.json().get("errcode"));
        }
        RawHttp.Response unknown = RawHttp.send("127.0.0.1", port, "POST", "/_synapse/mas/nothing",
                List.of("Authorization: Bearer " + SECRET));
        assertEquals(404, unknown.status());
        assertEquals("M_UNRECOGNIZED", unknown.json().get("errcode"));
    }
}
