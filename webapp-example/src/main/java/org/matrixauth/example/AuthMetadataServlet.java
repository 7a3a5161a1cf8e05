package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.matrixauth.oauth.AuthorizationServer;

/**
 * Where clients learn how to log in while authentication is delegated (spec v1.15, MSC2965):
 * {@code GET /_matrix/client/v1/auth_metadata} answers the authorization server's metadata
 * (OAU-9) and the older unstable {@code auth_issuer} its issuer, both public, at the paths
 * Synapse serves them (rest/client/auth_metadata.py). Mapped to the client API below every version
 * but r0 and v3 ({@link ClientApiServlet}'s), where the example serves nothing else: any other path
 * there, and these ones without delegation (Synapse registers them only with MAS), is 404
 * M_UNRECOGNIZED.
 */
public class AuthMetadataServlet extends MatrixServlet {
    /** Synapse's: it depends on the server's metadata alone, so browsers keep it 10 minutes and shared caches an hour. */
    static final String CACHE_CONTROL = "public, max-age=600, s-maxage=3600, stale-while-revalidate=600";

    public AuthMetadataServlet() {
        super(RouteTable.AUTH_METADATA);
    }

    static void metadata(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        answer(response, server(homeserver).metadata());
    }

    static void issuer(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        answer(response, Map.of("issuer", server(homeserver).issuer()));
    }

    private static AuthorizationServer server(Homeserver homeserver) {
        return homeserver.auth.authorizationServer().orElseThrow();
    }

    private static void answer(HttpServletResponse response, Map<String, ?> body) throws IOException {
        response.setHeader("Cache-Control", CACHE_CONTROL);
        Json.write(response, 200, body);
    }
}
