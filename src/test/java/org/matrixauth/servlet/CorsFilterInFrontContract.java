package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RawHttp;

/**
 * WEB-2, REQ-3: a homeserver that puts its own CORS filter in front of {@link MatrixAuthFilter}
 * (one allowed origin, with credentials). The container's filter answers the preflight; the
 * filter's refusals keep the headers it set and mix none of Synapse's into them. A subclass runs
 * one container's CORS filter in front of the filter and {@code WhoamiTestServlet}.
 */
abstract class CorsFilterInFrontContract {
    static final String ORIGIN = "https://app.example";
    static final String TOKEN = "alice_token";

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> DatabaseKind.H2);

    /** The filter's init-params: a Synapse database, every path protected. */
    Map<String, String> filterParameters() {
        return Map.of("server_name", "test", "database", db.jdbcUrl());
    }

    /** Starts the container on a free port with its CORS filter (allowing {@link #ORIGIN}) in front; returns the port. */
    abstract int start() throws Exception;

    abstract void stop() throws Exception;

    private int port;

    @BeforeEach
    void startContainer() throws Exception {
        db.rows().user("@alice:test").token("@alice:test", TOKEN, "DEV");
        port = start();
    }

    @AfterEach
    void stopContainer() throws Exception {
        stop();
    }

    private RawHttp.Response send(String method, String... headers) throws Exception {
        return RawHttp.send("127.0.0.1", port, method, "/_matrix/client/v3/account/whoami", List.of(headers));
    }

    @Test
    void req3AndWeb1ThePreflightIsTheCorsFiltersToAnswerTheMatrixFilterLetsItThrough() throws Exception {
        RawHttp.Response preflight = send("OPTIONS", "Origin: " + ORIGIN, "Access-Control-Request-Method: GET",
                "Access-Control-Request-Headers: authorization");
        assertEquals(ORIGIN, preflight.header("Access-Control-Allow-Origin"), preflight.headers().toString());
        assertEquals("true", preflight.header("Access-Control-Allow-Credentials"));
        assertEquals("", preflight.body(), "no Matrix refusal: the preflight carries no token");
    }

    @Test
    void web2TheFiltersRefusalKeepsTheCorsFiltersHeadersAndAddsNoneOfSynapses() throws Exception {
        RawHttp.Response refused = send("GET", "Origin: " + ORIGIN);
        assertEquals(401, refused.status());
        assertEquals("M_MISSING_TOKEN", refused.json().get("errcode"));
        assertEquals(ORIGIN, refused.header("Access-Control-Allow-Origin"), refused.headers().toString());
        assertEquals("true", refused.header("Access-Control-Allow-Credentials"));
        assertNull(refused.header("Access-Control-Allow-Methods"), "Synapse's headers are not mixed in");
        assertEquals(BrowserHeaders.NO_CACHE, refused.header("Cache-Control"), "WEB-3 still");

        RawHttp.Response served = send("GET", "Origin: " + ORIGIN, "Authorization: Bearer " + TOKEN);
        assertEquals(200, served.status(), served.body());
        assertEquals(ORIGIN, served.header("Access-Control-Allow-Origin"));
    }
}
