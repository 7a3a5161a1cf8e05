package org.matrixauth.fuzz;

import org.matrixauth.MatrixAuthInternals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.SynapseRows;
import org.matrixauth.testing.TestDatabase;

/**
 * The whole filter on fuzzed requests (user tokens, appservice masquerading, guests, any query
 * string and header): the request passes, or the answer is a Matrix error below 500; and what it
 * recorded can be written.
 */
class FilterFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KNOWN_AUTHORIZATIONS = {"Bearer good", "Bearer as", "Bearer "};
    private static MatrixAuth auth;
    private static MatrixAuthFilter filter;
    private static int databasePort;

    /**
     * On PostgreSQL, the production database, whose text refuses what H2's accepts (a NUL): a user
     * with a token and a device, and an appservice whose namespace admits any character, so
     * fuzzed user_id and device_id values reach the database.
     */
    private static synchronized MatrixAuthFilter filter() throws IOException {
        if (filter == null) {
            TestDatabase database = TestDatabase.postgres();
            Runtime.getRuntime().addShutdownHook(new Thread(database::close));
            databasePort = URI.create(database.jdbcUrl().substring("jdbc:".length())).getPort();
            Path registration = Files.createTempFile("fuzz-appservice", ".yaml");
            registration.toFile().deleteOnExit();
            Files.writeString(registration, """
                    id: fuzz
                    url: null
                    as_token: as
                    hs_token: hs
                    sender_localpart: bot
                    namespaces:
                      users: [{regex: '@.*', exclusive: false}]
                    """);
            auth = MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "fuzz", "database", database.jdbcUrl(),
                    "macaroon_secret_key", "fuzz-key", "app_service_config_files", registration.toString()))).start();
            SynapseRows rows = new SynapseRows(MatrixAuthInternals.jdbi(auth));
            rows.user("@a:fuzz").device("@a:fuzz", "D");
            rows.token("@a:fuzz", "good", "D");
            filter = new MatrixAuthFilter(auth, RouteRules.parse("/public public\n/optional/** optional guest"));
        }
        return filter;
    }

    @FuzzTest(maxDuration = "60s")
    void anyRequest(FuzzedDataProvider data) throws Exception {
        MatrixAuthFilter filter = filter();
        // The pool opens connections whenever it refills, which Jazzer's SSRF detector reports; the
        // database's port is the filter's one destination, and no request chooses it. Set on every
        // run: Jazzer resets the policy between its phases.
        BugDetectors.allowNetworkConnections((host, port) -> port == databasePort);
        HttpServletRequest request = mock(HttpServletRequest.class);
        List<String> authorization = new ArrayList<>();
        for (int i = data.consumeInt(0, 2); i > 0; i--) {
            // Known tokens are hard to guess (a hash lookup gives the fuzzer no comparison to follow).
            authorization.add(data.consumeBoolean() ? data.pickValue(KNOWN_AUTHORIZATIONS) : data.consumeString(100));
        }
        when(request.getMethod()).thenReturn(data.pickValue(new String[] {"GET", "POST", "OPTIONS", "PUT"}));
        when(request.getServletPath()).thenReturn(data.pickValue(new String[] {"/x", "/public", "/optional/a", ""}));
        when(request.getQueryString()).thenReturn(switch (data.consumeInt(0, 2)) {
            case 0 -> null;
            case 1 -> "user_id=" + data.consumeString(80) + "&device_id=" + data.consumeString(20);
            default -> data.consumeString(200);
        });
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(authorization));
        when(request.getHeaders("X-Forwarded-For")).thenReturn(Collections.enumeration(List.of(data.consumeString(40))));
        when(request.getHeader(anyString())).thenReturn(data.consumeString(40));
        when(request.getRemoteAddr()).thenReturn(data.consumeRemainingAsString());

        HttpServletResponse response = mock(HttpServletResponse.class);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = {200};
        org.mockito.Mockito.doAnswer(invocation -> status[0] = invocation.getArgument(0)).when(response).setStatus(org.mockito.ArgumentMatchers.anyInt());
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}
        });
        boolean[] passed = {false};
        FilterChain chain = (req, res) -> passed[0] = true;
        filter.doFilter(request, response, chain);
        // What the request queued must be writable: one refused row would hold back its whole batch.
        MatrixAuthInternals.clientIps(auth).flush();
        if (MatrixAuthInternals.clientIps(auth).failedFlushes() > 0) {
            throw new AssertionError("the client-IP rows of this request could not be written");
        }
        if (!passed[0]) {
            if (status[0] >= 500) {
                throw new AssertionError("answered " + status[0] + " " + body);
            }
            Map<?, ?> error = JSON.readValue(body.toByteArray(), Map.class);
            if (!(error.get("errcode") instanceof String) || !(error.get("error") instanceof String)) {
                throw new AssertionError("not a Matrix error: " + body);
            }
        }
    }
}
