package org.matrixauth.auth;

import java.util.List;
import java.util.Map;
import org.matrixauth.api.PublicApi;

/**
 * The parts of an HTTP request that authentication reads, free of any servlet API so the
 * rules can be tested (and reused) without a container.
 *
 * @param authorizationHeaders every {@code Authorization} header value, in order
 * @param queryParameters the decoded query string: name to every value, in order
 * @param clientIp the client's address (the socket peer, or the trusted proxy's forwarded one), without NULs
 * @param userAgent the {@code User-Agent} header without NUL characters, or "" when absent
 */
@PublicApi
public record ClientRequest(
        List<String> authorizationHeaders,
        Map<String, List<String>> queryParameters,
        String clientIp,
        String userAgent) {

    public ClientRequest {
        authorizationHeaders = List.copyOf(authorizationHeaders);
        queryParameters = Map.copyOf(queryParameters);
        clientIp = recordable(clientIp);
        userAgent = userAgent == null ? "" : recordable(userAgent);
    }

    /**
     * Both are recorded in user_ips, where PostgreSQL refuses a NUL: a container passes through
     * whatever its proxy handling or socket type gives, so it is not left to chance.
     */
    private static String recordable(String text) {
        return text == null ? null : text.replace("\0", "");
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
