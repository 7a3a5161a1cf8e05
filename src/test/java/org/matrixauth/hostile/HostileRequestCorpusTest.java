package org.matrixauth.hostile;

import org.matrixauth.MatrixAuthInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
import org.matrixauth.testing.HostileCorpus;
import org.matrixauth.testing.HostileCorpus.Case;
import org.matrixauth.testing.StatementLog;

/**
 * The {@link HostileCorpus} through the real filter on embedded Jetty, on each database: every
 * request gets its expected Matrix answer, none a 5xx, every body Matrix JSON, no request a
 * database write, and no secret reaches the log. This Jetty admits headers up to 2 MiB, so
 * 1 MiB tokens reach the filter too (the example jar's container refuses them itself; its
 * own test checks that answer).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL", "SYNAPSE_1_50"})
class HostileRequestCorpusTest {
    static final String MEBIBYTE_TOKEN = "a".repeat(1 << 20);

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    private FilterServer server;
    private List<String> writes;

    @BeforeEach
    void start() throws Exception {
        HostileCorpus.seed(db.jdbi());
        String registrations = HostileCorpus.writeRegistrations(dir).stream().map(Path::toString)
                .collect(Collectors.joining(","));
        server = new FilterServer().requestHeaderSize(2 << 20).context("/", Map.of(
                "server_name", HostileCorpus.SERVER_NAME,
                "database", db.jdbcUrl(),
                "macaroon_secret_key", HostileCorpus.KEY,
                "app_service_config_files", registrations,
                // Hostile input, not a flood: the corpus' 200 refusals from one address would be limited (FLOOD-1).
                "rc_failed_token_checks.burst_count", "1000000",
                RouteRules.INIT_PARAM, "/_matrix/client/*/account/whoami guest")).start();
        // Tracking is off here (no puppets, no appservice users), so nothing a request does may write.
        writes = StatementLog.attachToRequestThreads(MatrixAuthInternals.jdbi(server.auth("/")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void everyHostileRequestGetsItsMatrixAnswerAndNothingLeaks() throws Exception {
        List<Case> corpus = new ArrayList<>(HostileCorpus.cases(HostileCorpus.Unserved.TOKEN_FIRST));
        corpus.add(new Case("header token of 1 MiB", "GET", HostileCorpus.WHOAMI,
                List.of("Authorization: Bearer " + MEBIBYTE_TOKEN), 401, "M_UNKNOWN_TOKEN"));
        corpus.add(new Case("query token of 1 MiB", "GET", HostileCorpus.WHOAMI + "?access_token=" + MEBIBYTE_TOKEN,
                List.of(), 401, "M_UNKNOWN_TOKEN"));
        assertTrue(corpus.size() >= 200, "corpus of " + corpus.size());

        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> failures = new ArrayList<>();
        try {
            for (Case c : corpus) {
                String problem = c.problem(c.send(server.port()));
                if (problem != null) {
                    failures.add(c.name() + ": " + problem);
                }
            }
        } finally {
            System.setErr(original);
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(), writes.stream().filter(sql -> !sql.trim().toUpperCase().startsWith("SELECT")).toList(),
                "no request wrote to the database");
        assertNull(HostileCorpus.secretIn(log.toString(StandardCharsets.UTF_8)), "a secret in the log");
    }
}
