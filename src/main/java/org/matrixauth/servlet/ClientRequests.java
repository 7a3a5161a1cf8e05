package org.matrixauth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.net.ClientIpResolver;

/**
 * The authentication-relevant parts of a servlet request. Public for homeserver code that must
 * authenticate a request itself, as Synapse's login does for {@code m.login.application_service}.
 */
public final class ClientRequests {
    private ClientRequests() {}

    public static ClientRequest of(HttpServletRequest request, ClientIpResolver clientIps) {
        return new ClientRequest(
                Collections.list(request.getHeaders("Authorization")),
                QueryString.parse(request.getQueryString()),
                clientIps.clientIp(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For"))),
                request.getHeader("User-Agent"));
    }
}
