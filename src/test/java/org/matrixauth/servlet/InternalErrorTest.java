package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.FilterServer;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;

/** ERR-3: a failure inside the server is a bare 500 M_UNKNOWN; neither body nor log shows the token. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class InternalErrorTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);
    static final String TOKEN = "syt_secret_token_that_must_not_leak";

    private FilterServer server;

    @BeforeEach
    void start() throws Exception {
        db.rows().user("@alice:test").token("@alice:test", TOKEN, "DEV");
        server = new FilterServer().context("/", Map.of("server_name", "test", "database", db.jdbcUrl())).start();
        // The database "breaks" under the running filter: the table it reads is gone.
        db.execute("ALTER TABLE access_tokens RENAME TO access_tokens_elsewhere");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String sendCapturingLogs(String target, List<String> headers, RawHttp.Response[] response) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            response[0] = RawHttp.send("127.0.0.1", server.port(), "GET", target, headers);
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void err3DatabaseFailureIs500WithoutStackTraceOrToken() throws Exception {
        for (List<String> headers : List.of(List.of("Authorization: Bearer " + TOKEN), List.<String>of())) {
            String target = headers.isEmpty() ? "/_matrix/client/v3/sync?access_token=" + TOKEN : "/_matrix/client/v3/sync";
            RawHttp.Response[] response = new RawHttp.Response[1];
            String logs = sendCapturingLogs(target, headers, response);

            assertEquals(500, response[0].status());
            assertEquals(Map.of("errcode", "M_UNKNOWN", "error", "Internal server error"), response[0].json());
            assertEquals("*", response[0].header("access-control-allow-origin"));
            assertFalse(response[0].body().contains(TOKEN));
            assertTrue(logs.contains("Authentication failed inside the server"), logs);
            assertTrue(logs.contains("SQL state"), "the log still says what kind of failure: " + logs);
            assertFalse(logs.contains(TOKEN), "ERR-3: the token never reaches a log line: " + logs);
            assertFalse(logs.contains("\tat "), "no stack trace in the log: " + logs);
        }
    }
}
