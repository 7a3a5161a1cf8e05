package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.MeterRegistries;
import org.matrixauth.testing.OAuthServer;
import org.matrixauth.testing.PrometheusText.Family;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.Scrapes;

/**
 * With delegation on, the introspection metrics reach Micrometer as the servlet shows them: the
 * latency histogram (as a function timer: its count and sum, by outcome), the failures by kind and
 * the {@code introspections} cache, against the real authorization server. The database plays no
 * part in these: H2 only.
 */
class IntrospectionMeterBinderTest {
    static final String SECRET = "mas-shared-secret-for-binder-tests";

    @RegisterExtension
    static final OAuthServer authorizationServer = OAuthServer.forTestClass(SECRET);

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    Path dir;

    private FilterServer server;
    @RegisterExtension
    final MeterRegistries micrometer = new MeterRegistries();

    @AfterEach
    void stop() {
        authorizationServer.fault(OAuthServer.Fault.NONE);
        if (server != null) {
            server.close();
        }
    }

    private int whoami(String token) throws Exception {
        return RawHttp.send("127.0.0.1", server.port(), "GET", OAuthDelegationTest.WHOAMI,
                List.of("Authorization: Bearer " + token)).status();
    }

    @Test
    void introspectionMetricsReachMicrometer() throws Exception {
        db.rows().user("@alice:test").device("@alice:test", "ALICEDEV");
        server = new FilterServer().context("/", OAuthDelegationTest.delegation(db.jdbcUrl(), Registrations.irc(dir),
                authorizationServer.endpoint().toString(), SECRET)).start();
        micrometer.bind(server.auth("/"));
        String token = authorizationServer.issue("alice", "ALICEDEV", Duration.ofHours(1), OAuthDelegationTest.API);
        assertEquals(200, whoami(token));
        assertEquals(200, whoami(token)); // from the introspection cache
        assertEquals(401, whoami("mat_not_issued_by_the_server"));
        authorizationServer.fault(OAuthServer.Fault.STATUS_500);
        assertEquals(503, whoami("mat_asked_while_the_server_fails"));

        Scrapes.awaitSeries(micrometer.prometheus(), "matrix_auth_introspection_seconds_count{outcome=active}",
                "matrix_auth_introspection_seconds_count{outcome=inactive}",
                "matrix_auth_introspection_errors_total{kind=status}");
        Map<String, Family> servlet = Scrapes.servlet(server);
        Map<String, Family> bound = Scrapes.micrometer(micrometer.prometheus());
        Scrapes.assertSameFamilies(servlet, bound);
        Scrapes.assertSameSamples(servlet, bound, sample -> !sample.contains("_bucket"),
                "matrix_auth_introspection_seconds", "matrix_auth_introspection_errors_total", "matrix_auth_cache_hits_total",
                "matrix_auth_requests_total");
        assertTrue(bound.get("matrix_auth_cache_hits_total").samples()
                .containsKey("matrix_auth_cache_hits_total{cache=introspections}"), bound.toString());
        Scrapes.awaitMeters(micrometer.simple(), meters -> meters.find("matrix.auth.introspection.seconds").tag("outcome", "active")
                .functionTimer() != null);
        assertEquals(1, micrometer.simple().get("matrix.auth.introspection.seconds").tag("outcome", "active").functionTimer().count());
    }
}
