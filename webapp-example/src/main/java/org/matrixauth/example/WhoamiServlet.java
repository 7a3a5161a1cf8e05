package org.matrixauth.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.auth.Requester;
import org.matrixauth.servlet.MatrixAuthFilter;

/** {@code GET /_matrix/client/{r0,v3}/account/whoami}, in Synapse's response shape. */
public class WhoamiServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Requester requester = (Requester) request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", requester.userId());
        if (requester.deviceId() != null) {
            body.put("device_id", requester.deviceId());
        }
        body.put("is_guest", requester.isGuest());
        body.put("org.matrix.msc3069.is_guest", requester.isGuest());
        JsonResponses.ok(response, body);
    }
}
