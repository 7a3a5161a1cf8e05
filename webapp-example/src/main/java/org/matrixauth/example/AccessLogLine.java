package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.regex.Pattern;
import org.matrixauth.auth.Requester;

/**
 * One request as Synapse's access log writes it ({@code SynapseRequest._finished_processing}),
 * prefixed with the request id where Synapse's log format puts its {@code %(request)s}:
 *
 * <pre>
 * GET-7 - 10.0.0.5 - 8008 - {@admin:hs|@bob:hs} Processed request: 0.004sec 61B 200 "GET /_matrix/client/v3/account/whoami HTTP/1.1" "curl/8.5.0"
 * </pre>
 *
 * Synapse's resource-usage and database figures ({@code ru=}, {@code db=}, {@code dbevts}) are
 * left out: a servlet container does not measure them per request.
 */
record AccessLogLine(String requestId, String clientIp, int siteTag, Requester requester, long elapsedNanos,
        long bytes, int status, String method, String uri, String protocol, String userAgent) {

    /**
     * What Synapse's {@code ACCESS_TOKEN_RE} and {@code CLIENT_SECRET_RE} redact, but every
     * occurrence rather than the last one alone, in any case, after {@code &} or {@code ;}: a query
     * that repeats the parameter, or names it so that it is not taken for a token, may still carry one.
     */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)((?:^|[&;])(?:access|client)(?:_|%5f)(?:token|secret)=)[^&;]*");

    /** The path and query as the client sent them, the access token and client secret redacted (as Synapse's {@code redact_uri}). */
    static String uri(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI()
                : request.getRequestURI() + "?" + SECRET_PARAMETER.matcher(query).replaceAll("$1<redacted>");
    }

    /**
     * Synapse's requester field: the user, or {@code entity|user} where the token's owner acted as
     * someone else (a puppet token, an appservice masquerading); {@code None} when unauthenticated.
     */
    String requesterField() {
        if (requester == null) {
            return "None";
        }
        String entity = requester.authenticatedEntity();
        return entity == null || entity.equals(requester.userId()) ? requester.userId() : entity + "|" + requester.userId();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s - %s - %d - {%s} Processed request: %.3fsec %dB %d \"%s %s %s\" \"%s\"",
                requestId, clientIp, siteTag, requesterField(), elapsedNanos / 1e9, bytes, status, method, uri, protocol,
                userAgent == null ? "-" : userAgent);
    }
}
