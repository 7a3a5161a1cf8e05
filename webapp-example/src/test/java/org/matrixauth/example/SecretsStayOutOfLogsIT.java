package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example jar as a process, its whole output captured: a Synapse-style script (shared-secret
 * registration, password logins, puppet tokens, logouts) and hostile requests (bad tokens, bad
 * bodies, bad macs) leave no password, shared secret, macaroon key or token in it.
 */
class SecretsStayOutOfLogsIT {
    static final String SHARED_SECRET = "shared-secret-that-must-not-leak";
    static final String MACAROON_KEY = "macaroon-key-that-must-not-leak";
    static final String PASSWORD = "password-that-must-not-leak";

    @TempDir
    Path dir;

    @Test
    void noSecretReachesTheLog() throws Exception {
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "jdbc:h2:file:%s"
                registration_shared_secret: %s
                macaroon_secret_key: %s
                allow_guest_access: true
                bcrypt_rounds: 4
                """.formatted(dir.resolve("db"), SHARED_SECRET, MACAROON_KEY));
        StringBuilder tokens = new StringBuilder();
        String log;
        try (ExampleProcess example = ExampleProcess.start(dir, "--config", config.toString())) {
            MatrixClient client = new MatrixClient("http://127.0.0.1:" + example.port());
            String nonce = client.get("/_synapse/admin/v1/register", null).string("nonce");
            String mac = SharedSecretRegistration.mac(SHARED_SECRET,
                    SharedSecretRegistration.message(nonce, "admin", PASSWORD, true, null));
            String admin = client.post("/_synapse/admin/v1/register", null, Map.of("nonce", nonce, "username", "admin",
                    "password", PASSWORD, "admin", true, "mac", mac)).string("access_token");
            tokens.append(admin).append('\n');
            String login = client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password", "user", "admin",
                    "password", PASSWORD)).string("access_token");
            tokens.append(login).append('\n');
            assertEquals(403, client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password", "user", "admin",
                    "password", PASSWORD + "x")).status());
            String puppetTarget = client.put("/_synapse/admin/v2/users/@bob:test", admin, Map.of("password", PASSWORD)).string("name");
            String puppet = client.post("/_synapse/admin/v1/users/" + puppetTarget + "/login", admin, Map.of()).string("access_token");
            tokens.append(puppet).append('\n');
            String guest = client.post("/_matrix/client/v3/register?kind=guest", null, Map.of()).string("access_token");
            tokens.append(guest).append('\n');
            for (String token : tokens.toString().split("\n")) {
                assertEquals(200, client.get("/_matrix/client/v3/account/whoami", token).status());
                client.get("/_matrix/client/v3/account/whoami?access_token=" + token + "x", null);
                client.get("/_matrix/client/v3/account/whoami", token.substring(0, token.length() - 1));
            }
            client.post("/_synapse/admin/v1/register", null, Map.of("nonce", "bogus", "username", "eve", "password", PASSWORD,
                    "mac", mac));
            client.post("/_matrix/client/v3/login", null, "{\"password\": \"" + PASSWORD + "\", broken");
            client.post("/_matrix/client/v3/logout", login, Map.of());
            client.get("/_matrix/client/v3/account/whoami", login);
            example.stop();
            log = example.output();
        }
        assertTrue(log.contains("listening on"), "the output was captured");
        for (String secret : new String[] {SHARED_SECRET, MACAROON_KEY, PASSWORD}) {
            assertFalse(log.contains(secret), "a secret in the log: " + secret);
        }
        for (String token : tokens.toString().split("\n")) {
            assertFalse(log.contains(token.substring(0, Math.min(token.length(), 24))), "a token in the log");
        }
        assertFalse(log.contains("\tat "), "no stack trace in the log");
    }
}
