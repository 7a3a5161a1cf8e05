package org.matrixauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigTrees;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;

/**
 * Start and stop on PostgreSQL: what start-up opened (the pool, its connections and threads, the
 * listener) is gone again when a later step fails, since a container never calls {@code destroy()}
 * after a failed {@code init()}; {@code close()} writes what is queued, also from an interrupted
 * thread, whose flag it sets again, and a second call does nothing. Connections are counted in
 * pg_stat_activity, threads by their name.
 */
class MatrixAuthLifecycleTest {
    static final String THREAD_PREFIX = "matrix-auth-filter";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TestDatabase testDatabase;
    private Set<String> threadsBefore;

    @BeforeEach
    void database() throws Exception {
        testDatabase = TestDatabase.postgres();
        try (SynapseDatabase database = SynapseDatabase.open(testDatabase.jdbcUrl(), 1)) {
            new SynapseRows(database.jdbi()).user("@alice:test").threepid("@alice:test", "email", "alice@example.org")
                    .token("@alice:test", "alice_token", "DEV");
        }
        threadsBefore = filterThreads();
    }

    @AfterEach
    void drop() {
        testDatabase.close();
    }

    private AuthConfig config() throws Exception {
        return ConfigTrees.fromTree(YAML.readTree("server_name: test\ndatabase: '" + testDatabase.jdbcUrl() + "'\n"
                + "limit_usage_by_mau: true\nmax_mau_value: 10\n"
                + "mau_limit_reserved_threepids: [{medium: email, address: alice@example.org}]\n"));
    }

    /** Threads of the filter's (its own and its pool's, which HikariCP names after the pool) alive now. */
    private static Set<String> filterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(THREAD_PREFIX))
                .map(thread -> thread.getName() + "#" + thread.getId())
                .collect(Collectors.toSet());
    }

    /** Threads end a moment after they are told to: waited for, within a bound. */
    private void assertNothingLeftOpen(String after) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        Set<String> threads;
        int connections;
        do {
            Thread.sleep(50);
            threads = filterThreads();
            threads.removeAll(threadsBefore);
            connections = testDatabase.openConnections();
        } while ((!threads.isEmpty() || connections > 0) && System.currentTimeMillis() < deadline);
        System.out.printf("%s: %d connection(s) to the database, %d filter thread(s) left%n", after, connections, threads.size());
        assertEquals(0, connections, "connections left open " + after);
        assertEquals(Set.of(), threads, "threads left running " + after);
    }

    @Test
    @DisplayName("MAU-3: start-up failing after the pool opened (reserved threepids unreadable) leaves no connection, no thread")
    void mau3StartUpThatFailsAfterThePoolOpenedReleasesEverything() throws Exception {
        testDatabase.execute("ALTER TABLE user_threepids RENAME TO user_threepids_elsewhere");
        AuthConfig config = config();
        RuntimeException failure = assertThrows(RuntimeException.class, () -> MatrixAuth.builder(config).start());
        assertInstanceOf(JdbiException.class, failure, "the reserved threepids' query failed, after the pool opened");
        assertNothingLeftOpen("after the failed start");
    }

    @Test
    @DisplayName("TRK-3, TOK-6: close() from an interrupted thread keeps the final flush (client IPs, token marks) and the flag; twice is safe")
    void trk3CloseIsOrderedIdempotentAndKeepsTheFinalFlushWhenInterrupted() throws Exception {
        MatrixAuth auth = MatrixAuth.builder(config()).start();
        auth.authentication().authenticate(new ClientRequest(List.of("Bearer alice_token"), Map.of(), "10.0.0.1", "test"), AuthOptions.STRICT);
        assertTrue(testDatabase.openConnections() > 0, "the pool is open");

        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        auth.close();
        long closeMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(Thread.interrupted(), "the interrupt flag is set again");
        long secondStart = System.nanoTime();
        auth.close();
        long secondMs = (System.nanoTime() - secondStart) / 1_000_000;
        System.out.printf("TRK-3 close() from an interrupted thread took %d ms, a second close() %d ms%n", closeMs, secondMs);

        try (SynapseDatabase database = SynapseDatabase.open(testDatabase.jdbcUrl(), 1)) {
            int written = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_ips")
                    .mapTo(Integer.class).one());
            assertEquals(1, written, "the final flush wrote the queued row");
            assertTrue(new SynapseRows(database.jdbi()).tokenUsed("alice_token"), "the final flush wrote the queued TOK-6 mark");
        }
        assertNothingLeftOpen("after close() twice");
    }
}
