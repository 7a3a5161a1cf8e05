package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code GET /_matrix/client/versions}: public, as in Synapse. */
public class VersionsServlet extends MatrixServlet {
    static final List<String> VERSIONS = List.of("r0.5.0", "r0.6.0", "r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5",
            "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11");

    public VersionsServlet() {
        super(RouteTable.VERSIONS);
    }

    static void versions(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        Json.write(response, 200, Map.of("versions", VERSIONS, "unstable_features", Map.of()));
    }
}
