package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.matrixauth.servlet.BrowserHeaders;

/** What a browser needs on an answer of the example (SPEC WEB-1..3), checked the same way in every test. */
final class BrowserAnswers {
    private BrowserAnswers() {}

    /** WEB-2: Synapse's CORS headers, each with Synapse's value. */
    static void assertSynapseCors(HttpResponse<?> response, String what) {
        BrowserHeaders.CORS.forEach((name, value) ->
                assertEquals(value, response.headers().firstValue(name).orElse(null), "WEB-2 " + name + ": " + what));
    }

    /** WEB-2 and WEB-3: a JSON answer with Synapse's CORS headers and its Cache-Control. */
    static void assertSynapseJson(HttpResponse<?> response, String what) {
        assertSynapseCors(response, what);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "JSON: " + what);
        assertEquals(BrowserHeaders.NO_CACHE, response.headers().firstValue("Cache-Control").orElse(null), "WEB-3: " + what);
    }

    /** WEB-1: Synapse's answer to a preflight, 204 with its CORS headers and no body. */
    static void assertPreflightAnswered(HttpResponse<String> response, String what) {
        assertEquals(204, response.statusCode(), "WEB-1: " + what + ": " + response.body());
        assertEquals("", response.body(), "WEB-1 no body: " + what);
        assertSynapseCors(response, what);
    }
}
