package org.matrixauth.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.testing.CapturedLog;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.RawHttp;

/**
 * OBS-4 through the real filter on Jetty, on H2 and PostgreSQL: a puppet token, an appservice
 * acting as a user and as a user's device each log one line on their first request and none for
 * the repeats; the hourly summary (run here at once) gives each pair's count since, and forgets
 * the pairs that had none; the metric counts every request; no line holds a token.
 */
class ActingAsAuditTest extends RequestersTestCase {
    private static final String PUPPET = "puppet_token: @admin:test acted as @bob:test device PUPPETDEV";
    private static final String AS_USER = "appservice_user: @_irc_bot:test (appservice irc) acted as @_irc_carol:test";
    private static final String AS_DEVICE =
            "appservice_device: @_irc_bot:test (appservice irc) acted as @_irc_dave:test device DAVEDEV";

    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FilterServer().context("/", auth, Requesters.ROUTES).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void send(String target, String token, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            assertEquals(200, Requesters.get(server.port(), target, token).status());
        }
    }

    /** The audit logger's lines. */
    private static List<String> auditLines(CapturedLog log) {
        return log.text().lines().filter(line -> line.contains(ActingAsAudit.LOGGER_NAME)).toList();
    }

    @Test
    @DisplayName("OBS-4: first requests logged once per pair, repeats summarised hourly with their count, every request counted, no token")
    void obs4PuppetAndMasqueradeAudited() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            send(Requesters.WHOAMI, Requesters.PUPPET_TOKEN, 3);
            send(Requesters.AS_CAROL, Requesters.APPSERVICE_TOKEN, 2);
            send(Requesters.AS_DAVE_ON_HIS_DEVICE, Requesters.APPSERVICE_TOKEN, 4);
            send(Requesters.WHOAMI, Requesters.ALICE_TOKEN, 2);          // as herself: not audited
            send(Requesters.WHOAMI, Requesters.APPSERVICE_TOKEN, 1);     // the sender as itself: not audited
            assertEquals(List.of(PUPPET + ": first request", AS_USER + ": first request", AS_DEVICE + ": first request"),
                    auditLines(log).stream().map(ActingAsAuditTest::message).toList());

            String metrics = RawHttp.send("127.0.0.1", server.port(), "GET", "/metrics", List.of()).body();
            assertTrue(metrics.contains("matrix_auth_acting_as_requests_total{kind=\"puppet_token\"} 3.0"), metrics);
            assertTrue(metrics.contains("matrix_auth_acting_as_requests_total{kind=\"appservice_user\"} 2.0"), metrics);
            assertTrue(metrics.contains("matrix_auth_acting_as_requests_total{kind=\"appservice_device\"} 4.0"), metrics);
            assertTrue(metrics.contains("matrix_auth_acting_as_pairs_dropped_total 0.0"), metrics);

            ActingAsAudit audit = MatrixAuthInternals.actingAsAudit(auth);
            audit.summarise();
            List<String> summaries = auditLines(log).subList(3, auditLines(log).size()).stream()
                    .map(ActingAsAuditTest::message).map(line -> line.replaceAll(" since .*", "")).toList();
            assertEquals(List.of(PUPPET + ": 2 more request(s)", AS_USER + ": 1 more request(s)",
                    AS_DEVICE + ": 3 more request(s)"), summaries.stream().sorted(ActingAsAuditTest::byKind).toList());

            audit.summarise(); // a period without requests: nothing to say, and the pairs are forgotten
            assertEquals(6, auditLines(log).size());
            send(Requesters.WHOAMI, Requesters.PUPPET_TOKEN, 1);
            assertEquals(PUPPET + ": first request", message(auditLines(log).get(6)), "after a quiet period, a first again");

            String text = log.text();
            Requesters.TOKENS.forEach(token -> assertFalse(text.contains(token), "no line holds " + token));
        }
    }

    private static int byKind(String a, String b) {
        List<String> order = List.of("puppet_token", "appservice_user", "appservice_device");
        return Integer.compare(order.indexOf(a.substring(0, a.indexOf(':'))), order.indexOf(b.substring(0, b.indexOf(':'))));
    }

    /** slf4j-simple's line less its thread, level and logger. */
    private static String message(String line) {
        return line.substring(line.indexOf(ActingAsAudit.LOGGER_NAME + " - ") + ActingAsAudit.LOGGER_NAME.length() + 3);
    }
}
