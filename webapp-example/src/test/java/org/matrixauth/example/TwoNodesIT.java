package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.TestDatabase;

/**
 * Two example homeservers, each the jar as a process of its own, on one PostgreSQL database, as
 * behind a load balancer: users and tokens made through either node work on both, concurrent
 * logins on both never collide on a token id, and a token logged out on one node is refused by
 * the other within CACHE-3's second.
 */
class TwoNodesIT {
    static final String SECRET = "two-nodes-shared-secret";
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final int CLIENTS_PER_NODE = 8;
    static final int LOGINS_PER_CLIENT = 10;

    @TempDir
    Path dir;

    private record Node(String name, MatrixClient client) {}

    @Test
    @DisplayName("Two example nodes on one PostgreSQL database: tokens from either work on both, logins never collide, CACHE-3")
    void twoNodesShareOneDatabase() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                    server_name: test
                    database: "%s"
                    registration_shared_secret: %s
                    bcrypt_rounds: 4
                    """.formatted(database.jdbcUrl(), SECRET));
            try (ExampleProcess first = ExampleProcess.start(Files.createDirectory(dir.resolve("a")), "--config", config.toString());
                    ExampleProcess second = ExampleProcess.start(Files.createDirectory(dir.resolve("b")), "--config",
                            config.toString())) {
                Node a = new Node("a", new MatrixClient("http://127.0.0.1:" + first.port()));
                Node b = new Node("b", new MatrixClient("http://127.0.0.1:" + second.port()));

                // An admin registered on a, who creates a user on b; each logs in on the other node.
                String admin = register(a, "admin");
                assertEquals(201, b.client().put("/_synapse/admin/v2/users/@alice:test", admin, Map.of("password", "pw")).status());
                assertEquals(201, a.client().put("/_synapse/admin/v2/users/@bob:test", admin, Map.of("password", "pw")).status());
                List<String> tokens = new ArrayList<>(List.of(admin, login(b, "admin"), login(a, "alice"), login(b, "bob")));
                for (String token : tokens) {
                    assertWorksOnBoth(token, a, b);
                }

                tokens.addAll(concurrentLogins(a, b));
                for (String token : tokens) {
                    assertWorksOnBoth(token, a, b);
                }
                int logins = 2 * CLIENTS_PER_NODE * LOGINS_PER_CLIENT;
                assertEquals(List.of((long) tokens.size(), (long) tokens.size()), query(database,
                        "SELECT COUNT(*), MAX(id) FROM access_tokens"), "one id each, taken in turn: " + logins + " concurrent logins");

                // CACHE-3: logged out on a, refused on b within a second.
                String loggedOut = tokens.get(tokens.size() - 1);
                assertEquals(200, b.client().get(WHOAMI, loggedOut).status(), "cached on b");
                assertEquals(200, a.client().post("/_matrix/client/v3/logout", loggedOut, Map.of()).status());
                long loggedOutAt = System.nanoTime();
                while (b.client().get(WHOAMI, loggedOut).status() == 200) {
                    assertTrue(System.nanoTime() - loggedOutAt < 1_000_000_000L, "still accepted on b after a second");
                    Thread.sleep(20);
                }
                assertEquals("M_UNKNOWN_TOKEN", b.client().get(WHOAMI, loggedOut).errcode());
                first.stop();
                second.stop();
            }
        }
    }

    private static String register(Node node, String user) throws Exception {
        String nonce = node.client().get("/_synapse/admin/v1/register", null).string("nonce");
        String mac = SharedSecretRegistration.mac(SECRET, SharedSecretRegistration.message(nonce, user, "pw", true, null));
        MatrixClient.Answer registered = node.client().post("/_synapse/admin/v1/register", null,
                Map.of("nonce", nonce, "username", user, "password", "pw", "admin", true, "mac", mac));
        assertEquals(200, registered.status(), registered.body().toString());
        return registered.string("access_token");
    }

    private static String login(Node node, String user) throws Exception {
        MatrixClient.Answer login = node.client().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", "pw"));
        assertEquals(200, login.status(), node.name() + ": " + login.body());
        return login.string("access_token");
    }

    /** Clients on both nodes logging in at once, alice and bob in turn: no answer but 200. */
    private static List<String> concurrentLogins(Node a, Node b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * CLIENTS_PER_NODE);
        try {
            List<Future<List<String>>> clients = new ArrayList<>();
            for (int i = 0; i < 2 * CLIENTS_PER_NODE; i++) {
                Node node = i % 2 == 0 ? a : b;
                clients.add(pool.submit(() -> {
                    List<String> tokens = new ArrayList<>();
                    for (int n = 0; n < LOGINS_PER_CLIENT; n++) {
                        tokens.add(login(node, n % 2 == 0 ? "alice" : "bob"));
                    }
                    return tokens;
                }));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<List<String>> client : clients) {
                tokens.addAll(client.get());
            }
            return tokens;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertWorksOnBoth(String token, Node a, Node b) throws Exception {
        for (Node node : List.of(a, b)) {
            assertEquals(200, node.client().get(WHOAMI, token).status(), "on " + node.name());
        }
    }

    private static List<Long> query(TestDatabase database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl()); Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<Long> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getLong(i));
            }
            return row;
        }
    }
}
