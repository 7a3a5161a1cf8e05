package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.TestDatabase;

/**
 * A whole deployment behind an OAuth 2.0 authorization server, as with MAS: two example jars, each
 * a process of its own, on one PostgreSQL database, and a real authorization server started by the
 * test ({@link OAuthServer}). The test plays MAS's part towards the homeserver, with the shared
 * secret: it provisions {@code @alice} and a device through {@code /_synapse/mas/*}; the server
 * issues alice a token with the Matrix API and device scopes; and deleting the device through the
 * provisioning API on one node ends the token there at once and on the other within CACHE-3's
 * second.
 */
class MasDelegationIT {
    static final String SECRET = "mas-shared-secret-for-the-deployment-test";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final String DEVICE = "ALICEPHONE";
    static final long BOUND_MS = 1_000;

    @TempDir
    Path dir;

    @Test
    @DisplayName("OAU-1 OAU-6 OAU-8 OAU-9 OAU-10 CACHE-3: provisioned through /_synapse/mas, alice's token works on both nodes"
            + " until delete_device ends it, at once here and within 1 s there")
    void aDeploymentBehindAnAuthorizationServer() throws Exception {
        try (OAuthServer authorizationServer = OAuthServer.start(SECRET); TestDatabase database = TestDatabase.postgres()) {
            Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                    server_name: test
                    database: "%s"
                    matrix_authentication_service:
                      enabled: true
                      endpoint: "%s"
                      secret: "%s"
                    """.formatted(database.jdbcUrl(), authorizationServer.endpoint(), SECRET));
            try (ExampleProcess first = ExampleProcess.start(Files.createDirectory(dir.resolve("a")), "--config", config.toString());
                    ExampleProcess second = ExampleProcess.start(Files.createDirectory(dir.resolve("b")), "--config",
                            config.toString())) {
                MatrixClient a = new MatrixClient("http://127.0.0.1:" + first.port());
                MatrixClient b = new MatrixClient("http://127.0.0.1:" + second.port());

                // OAU-9: clients on either node learn where to log in.
                String issuer = authorizationServer.endpoint().toString().replaceAll("/$", "");
                for (MatrixClient node : List.of(a, b)) {
                    assertEquals(issuer, node.get("/_matrix/client/v1/auth_metadata", null).string("issuer"));
                }

                // MAS provisions the user and the session's device (OAU-10: with the shared secret).
                assertEquals(201, a.post("/_synapse/mas/provision_user", SECRET, Map.of("localpart", "alice",
                        "set_displayname", "Alice")).status());
                assertEquals(201, a.post("/_synapse/mas/upsert_device", SECRET, Map.of("localpart", "alice",
                        "device_id", DEVICE, "display_name", "Alice's phone")).status());
                assertEquals("Alice", b.get("/_synapse/mas/query_user?localpart=alice", SECRET).string("display_name"));

                // The server issues alice a token for the Matrix API on that device; both nodes accept it.
                String token = authorizationServer.issue("alice", null, Duration.ofHours(1), "urn:matrix:client:api:*",
                        "urn:matrix:client:device:" + DEVICE);
                Map<String, Object> alice = Map.of("user_id", "@alice:test", "device_id", DEVICE, "is_guest", false,
                        "org.matrix.msc3069.is_guest", false);
                for (MatrixClient node : List.of(a, b, a, b)) {
                    assertEquals(alice, node.get(WHOAMI, token).body());
                }

                // Anything but the secret is refused on every provisioning endpoint.
                for (Map.Entry<String, String> endpoint : MasProvisioningApiTest.ENDPOINTS.entrySet()) {
                    for (List<String> headers : List.of(List.<String>of(), List.of("Authorization: Bearer " + token))) {
                        RawHttp.Response refused = RawHttp.send("127.0.0.1", first.port(), endpoint.getValue(),
                                "/_synapse/mas/" + endpoint.getKey(), headers);
                        assertEquals(403, refused.status(), endpoint.getKey());
                        assertEquals(Map.of("errcode", "M_FORBIDDEN", "error", "This endpoint must only be called by MAS"),
                                refused.json());
                    }
                }

                // The session ends at MAS, which deletes its device through node a.
                assertEquals(204, a.post("/_synapse/mas/delete_device", SECRET, Map.of("localpart", "alice",
                        "device_id", DEVICE)).status());
                long deletedAt = System.nanoTime();
                MatrixClient.Answer here = a.get(WHOAMI, token);
                assertEquals(401, here.status(), "the next request on the node that deleted it");
                assertEquals("M_UNKNOWN_TOKEN", here.errcode());
                MatrixClient.Answer there;
                while ((there = b.get(WHOAMI, token)).status() == 200) {
                    assertTrue(System.nanoTime() - deletedAt < BOUND_MS * 1_000_000, "still accepted on b after a second");
                    Thread.sleep(10);
                }
                long elapsedMs = (System.nanoTime() - deletedAt) / 1_000_000;
                System.out.println("CACHE-3 OAU-8: a device deleted through MAS's provisioning API on one node was refused on"
                        + " the other after " + elapsedMs + " ms");
                assertEquals(401, there.status());
                assertEquals("M_UNKNOWN_TOKEN", there.errcode());
                assertTrue(elapsedMs < BOUND_MS, elapsedMs + " ms");
                first.stop();
                second.stop();
                for (ExampleProcess node : List.of(first, second)) {
                    String output = node.output();
                    assertFalse(output.contains(SECRET), "the shared secret in a node's output");
                    assertFalse(output.contains(token), "a token in a node's output");
                }
            }
        }
    }
}
