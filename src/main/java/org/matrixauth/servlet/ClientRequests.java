package org.matrixauth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.matrixauth.MatrixAuth;
import org.matrixauth.PublicApi;
import org.matrixauth.auth.ClientRequest;

/**
 * The authentication-relevant parts of a servlet request. Public for homeserver code that must
 * authenticate a request itself, as Synapse's login does for {@code m.login.application_service}.
 */
@PublicApi
public final class ClientRequests {
    private ClientRequests() {}

    public static ClientRequest of(HttpServletRequest request, MatrixAuth auth) {
        return new ClientRequest(
                Collections.list(request.getHeaders("Authorization")),
                QueryString.parse(request.getQueryString()),
                auth.clientIp(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For"))),
                request.getHeader("User-Agent"));
    }
}
