package org.matrixauth.bench;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.OAuthServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The in-process cost of authentication: the real filter, configured as a homeserver would
 * (client-IP tracking of puppets and appservices, MAU limiting), on an H2 database, in front of a
 * trivial servlet, on mock requests. {@link #bareServlet} is the same servlet without the filter.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FilterBenchmark {
    private static final String SYNC = "/_matrix/client/v3/sync";
    private static final String KEY = "bench-macaroon-key";
    private static final String MAS_SECRET = "bench-mas-secret";

    private MatrixAuth auth;
    private MatrixAuthFilter filter;
    /** The same database behind OAuth 2.0 delegation (SPEC section 12), to a real authorization server. */
    private OAuthServer authorizationServer;
    private MatrixAuth delegatedAuth;
    private MatrixAuthFilter delegatedFilter;
    private String introspectedToken;
    private String guestMacaroon;
    /** The trivial servlet: what a homeserver's handler would at least do with the requester. */
    private final FilterChain servlet = (request, response) -> {
        Object requester = request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE);
        ((HttpServletResponse) response).setStatus(requester == null ? 204 : 200);
    };

    @Setup(Level.Trial)
    public void start() throws Exception {
        Path dir = Files.createTempDirectory("bench");
        Path irc = Files.writeString(dir.resolve("irc.yaml"), """
                id: irc
                url: null
                as_token: as_irc_token
                hs_token: hs_irc_token
                sender_localpart: _irc_bot
                namespaces:
                  users: [{regex: '@_irc_.*', exclusive: true}]
                """);
        String database = "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        auth = MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "bench",
                "database", database,
                "macaroon_secret_key", KEY,
                "app_service_config_files", irc.toString(),
                "track_puppeted_user_ips", "true",
                "track_appservice_user_ips", "true",
                "limit_usage_by_mau", "true",
                "max_mau_value", "1000000"))).start();
        MatrixAuthInternals.jdbi(auth).useHandle(h -> {
            h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated) VALUES"
                    + " ('@alice:bench', 1600000000, 0, 0, 0), ('@admin:bench', 1600000000, 1, 0, 0),"
                    + " ('@guest:bench', 1600000000, 0, 1, 0)");
            h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated, appservice_id)"
                    + " VALUES ('@_irc_bob:bench', 1600000000, 0, 0, 0, 'irc')");
            h.execute("INSERT INTO access_tokens (id, user_id, device_id, token, valid_until_ms, puppets_user_id, used) VALUES"
                    + " (1, '@alice:bench', 'DEV', 'alice_token', NULL, NULL, TRUE),"
                    + " (2, '@admin:bench', NULL, 'puppet_token', NULL, '@alice:bench', TRUE),"
                    + " (3, '@alice:bench', 'DEV', 'expired_token', 1000, NULL, TRUE),"
                    + " (4, '@alice:bench', 'DEV', 'miss_token', NULL, NULL, TRUE)");
        });
        filter = new MatrixAuthFilter(auth, RouteRules.parse("/_matrix/client/*/sync guest"));
        filter.init(new MockFilterConfig());
        startDelegation(database, irc);
        guestMacaroon = new MacaroonsBuilder("bench", KEY, "key")
                .add_first_party_caveat("gen = 1").add_first_party_caveat("type = access")
                .add_first_party_caveat("user_id = @guest:bench").add_first_party_caveat("guest = true")
                .getMacaroon().serialize();
    }

    /** Alice's token from the authorization server, introspected once and then served from the cache. */
    private void startDelegation(String database, Path irc) throws Exception {
        authorizationServer = OAuthServer.start(MAS_SECRET);
        delegatedAuth = MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "bench",
                "database", database,
                "app_service_config_files", irc.toString(),
                "track_puppeted_user_ips", "true",
                "track_appservice_user_ips", "true",
                "limit_usage_by_mau", "true",
                "max_mau_value", "1000000",
                "matrix_authentication_service.enabled", "true",
                "matrix_authentication_service.endpoint", authorizationServer.endpoint().toString(),
                "matrix_authentication_service.secret", MAS_SECRET))).start();
        MatrixAuthInternals.jdbi(delegatedAuth).useHandle(h -> h.execute(
                "INSERT INTO devices (user_id, device_id, hidden) VALUES ('@alice:bench', 'DEV', FALSE)"));
        delegatedFilter = new MatrixAuthFilter(delegatedAuth, RouteRules.parse("/_matrix/client/*/sync guest"));
        delegatedFilter.init(new MockFilterConfig());
        introspectedToken = authorizationServer.issue("alice", "DEV", Duration.ofHours(2), "urn:matrix:client:api:*");
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        auth.close();
        delegatedAuth.close();
        authorizationServer.close();
    }

    private static MockHttpServletRequest request(String token, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", SYNC);
        request.setServletPath(SYNC);
        request.setRemoteAddr("127.0.0.1");
        request.setQueryString(query);
        if (token != null) {
            request.addHeader("Authorization", "Bearer " + token);
        }
        request.addHeader("User-Agent", "jmh");
        return request;
    }

    private int run(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, servlet);
        return response.getStatus();
    }

    @Benchmark
    public int bareServlet() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        servlet.doFilter(request("alice_token", null), response);
        return response.getStatus();
    }

    @Benchmark
    public int cachedUserToken() throws Exception {
        return run(request("alice_token", null));
    }

    /** OAU-8: an OAuth 2.0 token whose introspection is cached; to compare with {@link #cachedUserToken}. */
    @Benchmark
    public int cachedIntrospectedToken() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        delegatedFilter.doFilter(request(introspectedToken, null), response, servlet);
        return response.getStatus();
    }

    @Benchmark
    public int cachedPuppetTokenTrackingOn() throws Exception {
        return run(request("puppet_token", null));
    }

    @Benchmark
    public int appserviceWithUserId() throws Exception {
        return run(request("as_irc_token", "user_id=%40_irc_bob%3Abench"));
    }

    /** One indexed query on H2 per request: the token's cache entry is dropped first. */
    @Benchmark
    public int cacheMissOnH2() throws Exception {
        MatrixAuthInternals.caches(auth).invalidateToken("miss_token");
        return run(request("miss_token", null));
    }

    @Benchmark
    public int guestMacaroon() throws Exception {
        return run(request(guestMacaroon, null));
    }

    @Benchmark
    public int rejectMissingToken() throws Exception {
        return run(request(null, null));
    }

    @Benchmark
    public int rejectUnknownToken() throws Exception {
        return run(request("no_such_token", null));
    }

    @Benchmark
    public int rejectExpiredToken() throws Exception {
        return run(request("expired_token", null));
    }
}
