package org.matrixauth.bench;

import com.github.nitram509.jmacaroons.MacaroonsBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.matrixauth.MatrixAuth;
import org.matrixauth.MatrixAuthInternals;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.OAuthServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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

    /** Every benchmark's filter: tracking and MAU limiting on, the irc appservice registered. */
    static MatrixAuth startAuth(String database) throws IOException {
        return MatrixAuth.builder(AuthConfig.load(Map.of(
                "server_name", "bench",
                "database", database,
                "macaroon_secret_key", KEY,
                "app_service_config_files", ircRegistration().toString(),
                "track_puppeted_user_ips", "true",
                "track_appservice_user_ips", "true",
                "limit_usage_by_mau", "true",
                "max_mau_value", "1000000"))).start();
    }

    /** The appservice registration every benchmark's filter loads (AS-1: its token costs no query). */
    static Path ircRegistration() throws IOException {
        return Files.writeString(Files.createTempDirectory("bench").resolve("irc.yaml"), """
                id: irc
                url: null
                as_token: as_irc_token
                hs_token: hs_irc_token
                sender_localpart: _irc_bot
                namespaces:
                  users: [{regex: '@_irc_.*', exclusive: true}]
                """);
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        String database = "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        auth = startAuth(database);
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
        startDelegation(database, ircRegistration());
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

    /**
     * Issue 28's cold path: the first use of a valid token on PostgreSQL, through the real filter
     * configured as above. Each invocation sends a token never used before (its row has
     * {@code used = FALSE}, so TOK-6's write happens too), walking {@link ColdPostgres#TOKENS}
     * seeded tokens ({@link ColdPostgres#tokensPerUser} consecutive ones per user). {@code firstUseOfValidTokenOnPostgres}
     * minus {@link #bareServlet} is the filter's cost of a token's first use; the background
     * writes it queues (client IPs, MAU) run on other threads and are in the per-iteration
     * "process CPU per op" line, not in the score.
     */
    @Benchmark
    public int firstUseOfValidTokenOnPostgres(ColdPostgres cold) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        cold.filter.doFilter(request(cold.nextToken(), null), response, servlet);
        int status = response.getStatus();
        if (status != 200) {
            throw new IllegalStateException("a fresh valid token was answered " + status);
        }
        return status;
    }

    /** A PostgreSQL database of its own (dropped after the trial), seeded with never-used tokens. */
    @State(Scope.Benchmark)
    public static class ColdPostgres {
        static final int TOKENS = 200_000;
        /**
         * Consecutive tokens share a user: 1, every first use is also the user's first request
         * (MAU's lookups and its insert, TRK-6); 10, one request in ten is (20,000 users).
         */
        @Param({"1", "10"})
        public int tokensPerUser;
        private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
        private static final String ADMIN_URL = SERVER + "postgres?user=postgres";

        private String name;
        private MatrixAuth auth;
        private MatrixAuthFilter filter;
        private int next;
        private int iterationStart;
        private long cpuStart;
        private long threadCpuStart;

        static String token(int index) {
            return "syt_cold_" + index + "_" + Integer.toHexString(Integer.reverse(index * 0x9E3779B9));
        }

        String nextToken() {
            if (next == TOKENS) {
                throw new IllegalStateException("all " + TOKENS + " seeded tokens were used: shorten the run");
            }
            return token(next++);
        }

        @Setup(Level.Trial)
        public void start() throws Exception {
            name = "bench_cold_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            String url = SERVER + name + "?user=postgres";
            try (SynapseDatabase database = SynapseDatabase.open(url, 1)) {
                // The schema (Flyway), then Synapse-shaped rows: every token valid, none used yet.
            }
            long seedStart = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated)"
                        + " SELECT '@cold' || u || ':bench', 1600000000, 0, 0, 0 FROM generate_series(0, "
                        + (TOKENS / tokensPerUser - 1) + ") u");
                s.execute("INSERT INTO devices (user_id, device_id, hidden)"
                        + " SELECT '@cold' || (t / " + tokensPerUser + ") || ':bench', 'DEV' || t, FALSE"
                        + " FROM generate_series(0, " + (TOKENS - 1) + ") t");
                s.execute("CREATE TEMP TABLE cold_tokens (id BIGINT, token TEXT)");
                try (var insert = c.prepareStatement("INSERT INTO cold_tokens VALUES (?, ?)")) {
                    for (int t = 0; t < TOKENS; t++) {
                        insert.setLong(1, t + 1);
                        insert.setString(2, token(t));
                        insert.addBatch();
                        if (t % 10_000 == 9_999) {
                            insert.executeBatch();
                        }
                    }
                    insert.executeBatch();
                }
                s.execute("INSERT INTO access_tokens (id, user_id, device_id, token, used)"
                        + " SELECT id, '@cold' || ((id - 1) / " + tokensPerUser + ") || ':bench', 'DEV' || (id - 1), token, FALSE"
                        + " FROM cold_tokens");
                s.execute("ANALYZE");
            }
            System.out.printf("%nseeded %s: %d users, %d unused tokens in %.1f s%n", name, TOKENS / tokensPerUser, TOKENS,
                    (System.nanoTime() - seedStart) / 1e9);
            auth = startAuth(url);
            filter = new MatrixAuthFilter(auth, RouteRules.parse("/_matrix/client/*/sync guest"));
            filter.init(new MockFilterConfig());
        }

        @Setup(Level.Iteration)
        public void iterationStart() {
            iterationStart = next;
            cpuStart = processCpuNanos();
            threadCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void iterationEnd() {
            // JMH runs iteration fixtures on the benchmark's thread: its CPU is the requests' own.
            long thread = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadCpuStart;
            int ops = Math.max(1, next - iterationStart);
            System.out.printf("  [CPU per op: request thread %.1f us, whole process %.1f us, over %d first uses; %d tokens left]%n",
                    thread / 1e3 / ops, (processCpuNanos() - cpuStart) / 1e3 / ops, next - iterationStart, TOKENS - next);
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            if (auth != null) {
                auth.close();
            }
            try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
