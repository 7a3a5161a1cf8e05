package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OBS-2 as an operator meets it: the built jar started with the OpenTelemetry Java agent (the
 * version the pom pins, from Maven Central), its spans written by the agent's logging exporter
 * into the process's output. The agent's Jetty instrumentation makes the server span; the filter,
 * through the OpenTelemetry API the jar carries, puts the requester and the outcome on it.
 */
class OpenTelemetryAgentIT {
    private static final String SECRET = "agent-test-shared-secret";
    private static final String PASSWORD = "agent-test-password";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    /** What the agent's LoggingSpanExporter writes for a span, before its name. */
    private static final String EXPORTED = "LoggingSpanExporter - '";

    @TempDir
    Path dir;

    @Test
    @DisplayName("OBS-2: with the OpenTelemetry Java agent on the example jar, its server spans carry the requester and the outcome, never the token")
    void obs2TheJavaAgentsServerSpansCarryTheRequester() throws Exception {
        Path agent = Path.of(System.getProperty("opentelemetry.javaagent"));
        assertTrue(Files.isRegularFile(agent), "the agent is copied before this test: " + agent);
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "jdbc:h2:file:%s"
                registration_shared_secret: %s
                bcrypt_rounds: 4
                """.formatted(dir.resolve("db"), SECRET));
        long starting = System.nanoTime();
        try (ExampleProcess example = ExampleProcess.start(dir, List.of("-javaagent:" + agent,
                "-Dotel.service.name=matrix-auth-example", "-Dotel.traces.exporter=logging",
                "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"), "--config", config.toString())) {
            System.out.printf("OBS-2: the example jar with the agent listened after %d ms%n", (System.nanoTime() - starting) / 1_000_000);
            MatrixClient client = new MatrixClient("http://127.0.0.1:" + example.port());
            MatrixClient.Answer registered = client.registerWithSharedSecret(SECRET, "alice", PASSWORD, false);
            String token = registered.string("access_token");
            assertEquals(200, client.get(WHOAMI, token).status());
            assertEquals(401, client.get(WHOAMI, token + "x").status());

            List<String> whoamiSpans = serverSpans(example, 2);
            System.out.println("OBS-2: the agent logged " + whoamiSpans.get(0));
            assertTrue(whoamiSpans.get(0).contains("enduser.id=@alice:test")
                    && whoamiSpans.get(0).contains("matrix.device_id=" + registered.string("device_id"))
                    && whoamiSpans.get(0).contains("matrix.auth.outcome=authenticated"), whoamiSpans.get(0));
            assertTrue(whoamiSpans.get(1).contains("matrix.auth.outcome=M_UNKNOWN_TOKEN")
                    && !whoamiSpans.get(1).contains("enduser.id"), whoamiSpans.get(1));
            assertFalse(example.output().contains(token), "a token in the output");
        }
    }

    /**
     * The whoami requests' server spans as the agent logged them, in order, once there are
     * {@code count}: each is logged when it ends, which may be after its response was read.
     */
    private static List<String> serverSpans(ExampleProcess example, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<String> spans = example.output().lines()
                    .filter(line -> line.contains(EXPORTED) && line.contains(" SERVER ") && line.contains(WHOAMI)).toList();
            if (spans.size() >= count || System.currentTimeMillis() > deadline) {
                assertEquals(count, spans.size(), example.output());
                return spans;
            }
            Thread.sleep(100);
        }
    }
}
