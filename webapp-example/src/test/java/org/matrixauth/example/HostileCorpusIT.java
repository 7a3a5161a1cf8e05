package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.DatabaseSnapshot;
import org.matrixauth.testing.HostileCorpus;
import org.matrixauth.testing.HostileCorpus.Case;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.TestDatabase;

/**
 * The library's {@link HostileCorpus} against the example jar running as a process, on its
 * embedded H2 and on PostgreSQL, plus the requests its container refuses before any filter sees
 * them: every answer the expected one and Matrix JSON, none a 5xx, nothing written but the
 * client IPs of the requests that were let through, and no secret or stack trace in its output.
 */
class HostileCorpusIT {
    static final String WHOAMI = HostileCorpus.WHOAMI;
    static final String TOKEN = HostileCorpus.SECRET_TOKEN;

    @TempDir
    Path dir;

    @Test
    void onTheEmbeddedH2Database() throws Exception {
        runCorpus("jdbc:h2:file:" + dir.resolve("homeserver"));
    }

    @Test
    void onPostgresql() throws Exception {
        try (TestDatabase database = TestDatabase.postgres()) {
            runCorpus(database.jdbcUrl());
        }
    }

    /** What Jetty itself answers, as Matrix JSON (MatrixJsonErrorHandler, MatrixFallbackServlet). */
    static List<Case> containerCases() {
        List<Case> cases = new ArrayList<>();
        String auth = "Authorization: Bearer " + TOKEN;
        for (int c : new int[] {0, 1, 8, 27, 127}) {
            cases.add(new Case("raw control byte " + c + " in the token", "GET", WHOAMI,
                    List.of("Authorization: Bearer a" + (char) c + "b"), 400, "M_UNKNOWN"));
        }
        cases.add(new Case("raw control byte in another header", "GET", WHOAMI, List.of(auth, "X-Note: a\u0001b"), 400,
                "M_UNKNOWN"));
        cases.add(new Case("header token of 9000 bytes", "GET", WHOAMI, List.of("Authorization: Bearer " + "a".repeat(9000)),
                431, "M_TOO_LARGE"));
        cases.add(new Case("header token of 1 MiB", "GET", WHOAMI, List.of("Authorization: Bearer " + "a".repeat(1 << 20)),
                431, "M_TOO_LARGE"));
        cases.add(new Case("query token of 1 MiB", "GET", WHOAMI + "?access_token=" + "a".repeat(1 << 20), List.of(),
                414, "M_TOO_LARGE"));
        for (String path : List.of("/_matrix/client/v3//account/whoami", "//_matrix/client/v3/account/whoami",
                "/_matrix/client/v3/account/whoami/%2e%2e/whoami", "/_matrix/client/v3/account%2Fwhoami")) {
            cases.add(new Case("ambiguous path " + path, "GET", path, List.of(auth), 400, "M_UNKNOWN"));
        }
        for (String path : List.of("/", "/nothing", "/_matrix/client/v3/nothing", "/index.jsp", "/x.jspx", "/WEB-INF/web.xml",
                "/webapp/WEB-INF/web.xml")) {
            cases.add(new Case("authenticated, unknown path " + path, "GET", path, List.of(auth), 404, "M_UNRECOGNIZED"));
        }
        // What clients probe before they log in, and served paths asked with another method: Synapse's
        // answers whatever the token (web.xml lists what is served, then "/** public").
        for (List<String> headers : List.of(List.<String>of(), List.of(auth), List.of("Authorization: Bearer nope"))) {
            String with = headers.isEmpty() ? "no token" : headers.get(0).endsWith("nope") ? "a bad token" : "a token";
            for (String path : List.of("/_matrix/client/v1/auth_metadata", "/_matrix/client/unstable/org.matrix.msc2965/auth_issuer",
                    "/_matrix/client/v1/account/whoami", "/_synapse/admin/v1/users/@alice:test")) {
                cases.add(new Case("unknown path " + path + " with " + with, "GET", path, headers, 404, "M_UNRECOGNIZED"));
            }
            for (String[] request : new String[][] {{"GET", "/_matrix/client/v3/logout"}, {"DELETE", "/_matrix/client/versions"},
                    {"PUT", "/_matrix/client/r0/login"}, {"DELETE", "/_synapse/admin/v2/users/@alice:test"},
                    {"POST", "/_synapse/metrics"}}) {
                cases.add(new Case("served path " + request[1] + " asked with " + request[0] + " and " + with, request[0],
                        request[1], headers, 405, "M_UNRECOGNIZED"));
            }
        }
        return cases;
    }

    /**
     * What the container refuses before any servlet runs says what was wrong, with status and
     * errcode to match: never "Internal server error" for a request the client got wrong.
     */
    @Test
    void containerRefusalsSayWhatWasWrong() throws Exception {
        String versions = "/_matrix/client/versions";
        String close = "Host: localhost\r\nConnection: close\r\n"; // some refusals keep the connection otherwise
        Map<String, Refusal> refusals = new LinkedHashMap<>();
        refusals.put("GET " + versions + " HTTP/9.9\r\nHost: localhost\r\n\r\n",
                new Refusal(505, "M_UNKNOWN", "HTTP version not supported: use HTTP/1.1 or HTTP/1.0"));
        refusals.put("GET " + versions + "\r\n\r\n", // an HTTP/0.9 request line
                new Refusal(505, "M_UNKNOWN", "HTTP version not supported: use HTTP/1.1 or HTTP/1.0"));
        refusals.put("GET " + versions + " HTTP/1.1\r\n" + close + "X-Big: " + "a".repeat(9000) + "\r\n\r\n",
                new Refusal(431, "M_TOO_LARGE", "Request header fields too large"));
        refusals.put("GET " + versions + "?" + "a".repeat(1 << 20) + " HTTP/1.1\r\n" + close + "\r\n",
                new Refusal(414, "M_TOO_LARGE", "Request URI too long"));
        refusals.put("GET " + versions + " HTTP/1.1\r\n" + close + "X-Note: a\u0001b\r\n\r\n",
                new Refusal(400, "M_UNKNOWN", "Bad request: the HTTP request is malformed"));
        refusals.put("GET /_matrix//client/versions HTTP/1.1\r\n" + close + "\r\n",
                new Refusal(400, "M_UNKNOWN", "Bad request: the HTTP request is malformed"));
        try (ExampleProcess example = ExampleProcess.start(dir)) {
            for (Map.Entry<String, Refusal> refusal : refusals.entrySet()) {
                RawHttp.Response response = RawHttp.sendRaw("127.0.0.1", example.port(), refusal.getKey());
                String request = refusal.getKey().substring(0, Math.min(80, refusal.getKey().length()));
                assertEquals(refusal.getValue().status(), response.status(), request + ": " + response.body());
                assertEquals(Map.of("errcode", refusal.getValue().errcode(), "error", refusal.getValue().error()),
                        response.json(), request);
                assertEquals("application/json", response.header("Content-Type"), request);
            }
            example.stop();
        }
    }

    private record Refusal(int status, String errcode, String error) {}

    private void runCorpus(String jdbcUrl) throws Exception {
        try (SynapseDatabase database = SynapseDatabase.open(jdbcUrl, 2)) {
            HostileCorpus.seed(database.jdbi());
        }
        DatabaseSnapshot before = DatabaseSnapshot.take(jdbcUrl);
        String registrations = HostileCorpus.writeRegistrations(dir).stream().map(path -> "\"" + path + "\"")
                .collect(Collectors.joining(", "));
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: %s
                database: "%s"
                macaroon_secret_key: %s
                app_service_config_files: [%s]
                # Hostile input, not a flood: the corpus' 200 refusals from one address would be limited (FLOOD-1).
                rc_failed_token_checks: {burst_count: 1000000}
                """.formatted(HostileCorpus.SERVER_NAME, jdbcUrl, HostileCorpus.KEY, registrations));
        List<Case> corpus = new ArrayList<>(HostileCorpus.cases(HostileCorpus.Unserved.UNRECOGNIZED));
        corpus.addAll(containerCases());
        assertTrue(corpus.size() >= 200, "corpus of " + corpus.size());

        List<String> failures = new ArrayList<>();
        String output;
        try (ExampleProcess example = ExampleProcess.start(dir, "--config", config.toString())) {
            for (Case c : corpus) {
                String problem = c.problem(c.send(example.port()));
                if (problem != null) {
                    failures.add(c.name() + ": " + problem);
                }
            }
            example.stop(); // writes the queued client IPs
            output = example.output();
        }
        assertEquals(List.of(), failures);
        List<DatabaseSnapshot.RowChange> unexpected = DatabaseSnapshot.take(jdbcUrl).changesSince(before).stream()
                .filter(change -> !isClientIpOfAnAdmittedUser(change)).toList();
        assertEquals(List.of(), unexpected, "only the client IPs of admitted requests are written");
        assertNull(HostileCorpus.secretIn(output), "a secret in the output");
        assertFalse(output.contains("\tat "), "a stack trace in the output");
    }

    /** Admitted requests are recorded as in Synapse: a user_ips row, and the device's last sighting. */
    private static boolean isClientIpOfAnAdmittedUser(DatabaseSnapshot.RowChange change) {
        boolean recorded = change.table().equals("user_ips") && change.added() || change.table().equals("devices");
        return recorded && HostileCorpus.ADMITTED_USERS.contains(change.row().get("user_id"));
    }
}
