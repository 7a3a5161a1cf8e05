package org.matrixauth.auth;

import java.util.List;
import java.util.Map;

/**
 * The parts of an HTTP request that authentication reads, free of any servlet API so the
 * rules can be tested (and reused) without a container.
 *
 * @param authorizationHeaders every {@code Authorization} header value, in order
 * @param queryParameters the decoded query string: name to every value, in order
 * @param clientIp the client's address (the socket peer, or the trusted proxy's forwarded one)
 * @param userAgent the {@code User-Agent} header without NUL characters, or "" when absent
 */
public record ClientRequest(
        List<String> authorizationHeaders,
        Map<String, List<String>> queryParameters,
        String clientIp,
        String userAgent) {

    public ClientRequest {
        authorizationHeaders = List.copyOf(authorizationHeaders);
        queryParameters = Map.copyOf(queryParameters);
        // Recorded in user_ips: a NUL there would make PostgreSQL refuse, and retry forever, the whole batch.
        userAgent = userAgent == null ? "" : userAgent.replace("\0", "");
    }

    /** @return every value of the query parameter, or null when it is absent */
    public List<String> queryValues(String name) {
        return queryParameters.get(name);
    }

    /** @return the first value of the query parameter, or null when it is absent */
    public String firstQueryValue(String name) {
        List<String> values = queryParameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
