package org.matrixauth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.matrixauth.MatrixAuth;
import org.matrixauth.api.PublicApi;
import org.matrixauth.auth.Authentication;
import org.matrixauth.auth.ClientRequest;

/**
 * The authentication-relevant parts of a servlet request. Public for homeserver code that must
 * authenticate a request itself, as Synapse's login does for {@code m.login.application_service}.
 */
@PublicApi
public final class ClientRequests {
    private ClientRequests() {}

    public static ClientRequest of(HttpServletRequest request, MatrixAuth auth) {
        Authentication authentication = auth.authentication();
        String peer = request.getRemoteAddr();
        List<String> forwardedFor = authentication.trustsForwardedFor(peer) ? headerValues(request, "X-Forwarded-For") : List.of();
        return new ClientRequest(
                headerValues(request, "Authorization"),
                QueryString.parse(request.getQueryString()),
                authentication.clientIp(peer, forwardedFor),
                request.getHeader("User-Agent"));
    }

    /**
     * Every value of the header, in order. Runs on every request: none and one value (nearly
     * every request) are answered with immutable lists, without copying the container's enumeration.
     */
    private static List<String> headerValues(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return List.of(first);
        }
        List<String> all = new ArrayList<>(List.of(first));
        while (values.hasMoreElements()) {
            all.add(values.nextElement());
        }
        return all;
    }
}
