package org.matrixauth.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.SynapseRows;

/**
 * Load: 64 concurrent clients over 500 tokens (100 users) and 50 client IPs, client-IP tracking
 * and MAU on. Afterwards user_ips holds exactly one row per (user, token, ip) used and
 * monthly_active_users exactly the users seen; no request failed. Sized down for CI
 * ({@code load.requests} per client, default 150); the full size is
 * {@code mvn test-compile surefire:test@default-test -Dtest=ConcurrentLoadTest -Dload.requests=10000}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class ConcurrentLoadTest {
    static final int CLIENTS = 64;
    static final int TOKENS = 500;
    static final int USERS = 100;
    static final int IPS = 50;
    static final int REQUESTS_PER_CLIENT = Integer.getInteger("load.requests", 150);

    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    @Test
    void everyRequestSucceedsAndTheRecordsAreExact() throws Exception {
        SynapseRows rows = db.rows();
        for (int u = 0; u < USERS; u++) {
            rows.user("@user" + u + ":test", 1_600_000_000L, null, null);
        }
        for (int t = 0; t < TOKENS; t++) {
            rows.token(t + 1, "@user" + (t % USERS) + ":test", "load_token_" + t, "DEV" + t, null, null);
        }
        FilterServer server = new FilterServer().context("/", Map.of("server_name", "test",
                "database", db.jdbcUrl(), "trusted_proxies", "127.0.0.1",
                "limit_usage_by_mau", "true", "max_mau_value", "100000", "track_puppeted_user_ips", "true",
                RouteRules.INIT_PARAM, "/_matrix/client/*/account/whoami guest")).start();
        Set<String> expectedRows = ConcurrentHashMap.newKeySet();
        Set<String> expectedUsers = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        int n = client * REQUESTS_PER_CLIENT + i;
                        int token = (int) ((n * 7919L) % TOKENS);
                        String ip = "10.9.0." + (n % IPS);
                        String user = "@user" + (token % USERS) + ":test";
                        HttpRequest request = HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + server.port() + "/_matrix/client/v3/account/whoami"))
                                .header("Authorization", "Bearer load_token_" + token)
                                .header("X-Forwarded-For", ip)
                                .build();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200 && response.body().contains(user)) {
                                expectedRows.add(user + "|load_token_" + token + "|" + ip);
                                expectedUsers.add(user);
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdown();
            server.close(); // flushes what is queued
        }
        assertEquals(0, failures.get(), "no request failed");
        assertEquals(expectedRows, new HashSet<>(db.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id || '|' || access_token || '|' || ip FROM user_ips").mapTo(String.class).list())));
        assertEquals(expectedUsers, new HashSet<>(db.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id FROM monthly_active_users").mapTo(String.class).list())));
    }
}
