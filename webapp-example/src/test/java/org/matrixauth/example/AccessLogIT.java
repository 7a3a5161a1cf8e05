package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OBS-3: the example jar as a process, its output read as an operator reads Synapse's access log:
 * a line per request with its requester, the auth filter's refusals included, the token never.
 */
class AccessLogIT {
    static final String SHARED_SECRET = "access-log-shared-secret";
    static final String SECRET_TOKEN = "secret_token_that_must_not_be_logged";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    @DisplayName("OBS-3: one Synapse-style access line per request: requester (entity|user for a puppet), redacted token, status, bytes, time")
    void obs3EveryRequestHasAnAccessLineWithItsRequesterAndNeverTheToken() throws Exception {
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "jdbc:h2:file:%s"
                registration_shared_secret: %s
                bcrypt_rounds: 4
                listeners:
                  - port: 8008
                    type: http
                    bind_addresses: ['127.0.0.1']
                    request_id_header: X-Request-Id
                    resources:
                      - names: [client]
                """.formatted(dir.resolve("db"), SHARED_SECRET));
        String log;
        String admin;
        String puppet;
        try (ExampleProcess example = ExampleProcess.start(dir, "--config", config.toString())) {
            String base = "http://127.0.0.1:" + example.port();
            MatrixClient client = new MatrixClient(base);
            admin = client.registerWithSharedSecret(SHARED_SECRET, "admin", "password", true).string("access_token");
            client.put("/_synapse/admin/v2/users/@bob:test", admin, Map.of("password", "password"));
            puppet = client.post("/_synapse/admin/v1/users/@bob:test/login", admin, Map.of()).string("access_token");
            assertEquals(200, send(base + "/_matrix/client/v3/account/whoami?access_token=" + puppet, null, "req-puppet"));
            assertEquals(401, send(base + "/_matrix/client/v3/account/whoami?access_token=" + SECRET_TOKEN, null, "req-query"));
            assertEquals(401, send(base + "/_matrix/client/v3/account/whoami", SECRET_TOKEN, "req-header"));
            assertEquals(200, send(base + "/_matrix/client/v3/account/whoami", admin, "req-admin"));
            example.stop();
            log = example.output();
        }
        List<String> lines = log.lines().filter(line -> line.contains(" Processed request: ")).toList();
        assertTrue(lines.size() >= 8, "a line per request:\n" + log);

        Pattern puppetLine = Pattern.compile("GET-req-puppet - 127\\.0\\.0\\.1 - \\d+ - \\{@admin:test\\|@bob:test} Processed request: "
                + "\\d+\\.\\d{3}sec \\d+B 200 \"GET /_matrix/client/v3/account/whoami\\?access_token=<redacted> HTTP/1\\.1\" \"Java-http-client/[^\"]+\"$");
        assertTrue(lines.stream().anyMatch(line -> puppetLine.matcher(line).find()), "the puppet's line:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.contains("GET-req-query - 127.0.0.1 - ") && line.contains("{None}")
                && line.contains(" 401 \"GET /_matrix/client/v3/account/whoami?access_token=<redacted> HTTP/1.1\"")),
                "the refused query token's line:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.contains("GET-req-header - ") && line.contains("{None}")
                && line.contains(" 401 \"GET /_matrix/client/v3/account/whoami HTTP/1.1\"")), "the refused header's line");
        assertTrue(lines.stream().anyMatch(line -> line.contains("GET-req-admin - ") && line.contains("{@admin:test}")
                && line.contains(" 200 ")), "an admin acting as itself: the user alone");
        assertTrue(lines.stream().anyMatch(line -> line.matches(".*POST-\\d+ - .*\\{None} Processed request: .* 200 \"POST /_synapse/admin/v1/register HTTP/1.1\".*")),
                "without the header, the request id is a sequence number");
        for (String secret : new String[] {SECRET_TOKEN, admin, puppet}) {
            assertFalse(log.contains(secret), "a token in the log");
        }
    }

    private static int send(String url, String bearer, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-Request-Id", requestId);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
