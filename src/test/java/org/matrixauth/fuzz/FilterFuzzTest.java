package org.matrixauth.fuzz;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.H2Databases;

/** The whole filter on fuzzed requests: the request passes, or the answer is a Matrix error below 500. */
class FilterFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MatrixAuth auth;
    private static MatrixAuthFilter filter;

    private static synchronized MatrixAuthFilter filter() {
        if (filter == null) {
            auth = MatrixAuth.start(AuthConfig.load(Map.of("server_name", "fuzz", "database", H2Databases.uniqueUrl(),
                    "macaroon_secret_key", "fuzz-key")));
            auth.database().jdbi().useHandle(h -> {
                h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated) VALUES ('@a:fuzz', 1, 0, 0, 0)");
                h.execute("INSERT INTO access_tokens (id, user_id, device_id, token, used) VALUES (1, '@a:fuzz', 'D', 'good', TRUE)");
            });
            filter = new MatrixAuthFilter(auth, RouteRules.parse("/public public\n/optional/** optional guest"));
        }
        return filter;
    }

    @FuzzTest(maxDuration = "60s")
    void anyRequest(FuzzedDataProvider data) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        List<String> authorization = new ArrayList<>();
        for (int i = data.consumeInt(0, 2); i > 0; i--) {
            authorization.add(data.consumeString(100));
        }
        when(request.getMethod()).thenReturn(data.pickValue(new String[] {"GET", "POST", "OPTIONS", "PUT"}));
        when(request.getServletPath()).thenReturn(data.pickValue(new String[] {"/x", "/public", "/optional/a", ""}));
        when(request.getQueryString()).thenReturn(data.consumeBoolean() ? data.consumeString(200) : null);
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
        filter().doFilter(request, response, chain);
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
