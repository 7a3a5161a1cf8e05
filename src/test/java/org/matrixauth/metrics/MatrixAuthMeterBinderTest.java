package org.matrixauth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.MeterRegistries;
import org.matrixauth.testing.PrometheusText.Family;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.Registrations;
import org.matrixauth.testing.Scrapes;

/**
 * {@link MatrixAuthMeterBinder} against the Prometheus servlet, on the real filter on Jetty with MAU
 * tracking on (the MAU gauges read the database): requests through the filter, then Micrometer's
 * Prometheus registry scrapes the same families as the servlet, with the same help, labels and
 * values, series that appear after binding included, and a {@link SimpleMeterRegistry} reads the
 * same values; once the filter has stopped, scrapes still answer.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class MatrixAuthMeterBinderTest {
    static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    static final long OLD = 1_600_000_000L; // registered long before any trial

    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    @TempDir
    Path dir;

    private FilterServer server;
    @RegisterExtension
    final MeterRegistries micrometer = new MeterRegistries();

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test", OLD, null, null).token("@alice:test", "alice_token", "ALICEDEV");
        db.rows().device("@alice:test", "ALICEDEV");
        db.rows().user("@_irc_carol:test", OLD, null, "irc");
        server = new FilterServer().context("/", Map.of(
                "server_name", "test",
                "database", db.jdbcUrl(),
                "app_service_config_files", Registrations.irc(dir).toString(),
                "limit_usage_by_mau", "true",
                "max_mau_value", "10",
                "track_appservice_user_ips", "true",
                RouteRules.INIT_PARAM, "/_matrix/client/*/account/whoami guest\n/metrics public")).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int get(String target, String token) throws IOException {
        List<String> headers = token == null ? List.of() : List.of("Authorization: Bearer " + token);
        return RawHttp.send("127.0.0.1", server.port(), "GET", target, headers).status();
    }

    @Test
    void micrometerShowsWhatTheServletShows() throws Exception {
        assertEquals(200, get(WHOAMI, "alice_token"));
        assertEquals(200, get(WHOAMI, "alice_token"));
        assertEquals(401, get(WHOAMI, "unknown_token"));
        micrometer.bind(server.auth("/"));

        Map<String, Family> servlet = Scrapes.servlet(server);
        Map<String, Family> bound = Scrapes.micrometer(micrometer.prometheus());
        Scrapes.assertSameFamilies(servlet, bound);
        assertTrue(bound.containsKey("synapse_admin_mau_current"), "Synapse's names: " + bound.keySet());
        assertEquals(2.0, bound.get("matrix_auth_requests_total").samples().get("matrix_auth_requests_total{outcome=authenticated}"));
        Scrapes.assertSameSamples(servlet, bound, sample -> true, "matrix_auth_requests_total", "synapse_admin_mau_current",
                "synapse_admin_mau_max", "synapse_admin_mau_current_mau_by_service", "matrix_auth_cache_hits_total",
                "matrix_auth_cache_misses_total");
        assertEquals(2.0, micrometer.simple().get("matrix.auth.requests").tag("outcome", "authenticated").functionCounter().count());
        assertEquals(1.0, micrometer.simple().get("matrix.auth.requests").tag("outcome", "M_UNKNOWN_TOKEN").functionCounter().count());
        assertEquals(1.0, micrometer.simple().get("synapse.admin.mau.current").gauge().value(), "MAU-1: alice");
    }

    @Test
    void seriesThatAppearAfterBindingAreBoundToo() throws Exception {
        assertEquals(200, get(WHOAMI, "alice_token"));
        micrometer.bind(server.auth("/"));
        assertFalse(Scrapes.servlet(server).get("synapse_admin_mau_current_mau_by_service").samples().toString().contains("irc"));

        assertEquals(401, get(WHOAMI, null));                                       // a new outcome: M_MISSING_TOKEN
        assertEquals(200, get(WHOAMI + "?user_id=@_irc_carol:test", "as_irc_token")); // a new appservice id among MAU

        Scrapes.awaitSeries(micrometer.prometheus(), "matrix_auth_requests_total{outcome=M_MISSING_TOKEN}",
                "synapse_admin_mau_current_mau_by_service{app_service=irc}");
        Map<String, Family> servlet = Scrapes.servlet(server);
        Map<String, Family> bound = Scrapes.micrometer(micrometer.prometheus());
        Scrapes.assertSameFamilies(servlet, bound);
        Scrapes.assertSameSamples(servlet, bound, sample -> true, "matrix_auth_requests_total",
                "synapse_admin_mau_current_mau_by_service", "synapse_admin_mau_current");
        assertEquals(1.0, bound.get("synapse_admin_mau_current_mau_by_service").samples()
                .get("synapse_admin_mau_current_mau_by_service{app_service=irc}"));
    }

    @Test
    void scrapesAnswerOnceTheFilterHasStopped() throws Exception {
        assertEquals(200, get(WHOAMI, "alice_token"));
        micrometer.bind(server.auth("/"));

        server.close(); // the filter is destroyed: its MatrixAuth closes, pool and all

        String scrape = micrometer.prometheus().scrape(); // a throw here is the failure this test looks for
        assertTrue(scrape.contains("matrix_auth_requests_total{outcome=\"authenticated\"} 1.0"), scrape);
        for (Meter meter : micrometer.simple().getMeters()) { // every meter is read; NaN for the MAU gauges, whose database is gone
            meter.measure().forEach(Measurement::getValue);
        }
        assertEquals(1.0, micrometer.simple().get("matrix.auth.requests").tag("outcome", "authenticated").functionCounter().count());
    }
}
