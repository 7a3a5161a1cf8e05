package org.matrixauth.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.api.PublicApi;

/**
 * The headers Synapse puts on its answers so that a page on another origin can use them (SPEC
 * WEB-2, WEB-3): its CORS headers, as today's {@code set_cors_headers} sets them for the client
 * API, and its default {@code Cache-Control} for JSON. The filter's refusals carry them; a
 * homeserver puts them on its own answers and on its answers to preflights (WEB-1).
 */
@PublicApi
public final class BrowserHeaders {
    /** Synapse's CORS headers, in the order it sets them. Matrix needs no cookies, so any origin may read. */
    public static final Map<String, String> CORS = synapseCors();
    public static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    public static final String CACHE_CONTROL = "Cache-Control";
    /** Synapse's default for JSON: no client or proxy keeps an answer that may name a user or a token's fate. */
    public static final String NO_CACHE = "no-cache, no-store, must-revalidate";

    private BrowserHeaders() {}

    private static Map<String, String> synapseCors() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ALLOW_ORIGIN, "*");
        headers.put("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
        headers.put("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization, Date");
        // Added after 1.50; lets a page read Synapse's trace id and server name, e.g. for a bug report.
        headers.put("Access-Control-Expose-Headers", "Synapse-Trace-Id, Server");
        return Collections.unmodifiableMap(headers);
    }

    /**
     * Sets Synapse's CORS headers, unless the response already allows an origin: then a CORS filter
     * in front of this one has decided who may read it (a list of origins, credentials), and mixing
     * Synapse's {@code *} into its answer would undo that decision.
     */
    public static void addCors(HttpServletResponse response) {
        if (!response.containsHeader(ALLOW_ORIGIN)) {
            CORS.forEach(response::setHeader);
        }
    }

    /** Synapse's {@code Cache-Control} for a JSON answer, unless the response has one already (as Synapse does). */
    public static void addNoCache(HttpServletResponse response) {
        if (!response.containsHeader(CACHE_CONTROL)) {
            response.setHeader(CACHE_CONTROL, NO_CACHE);
        }
    }
}
