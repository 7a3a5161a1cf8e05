package org.matrixauth.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.auth.Requester;
import org.matrixauth.servlet.MatrixAuthFilter;

/** Answers every method on every path with what the filter attached to the request, as JSON. */
public final class WhoamiTestServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        Requester requester = (Requester) request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE);
        body.put("anonymous", requester == null);
        if (requester != null) {
            body.put("user_id", requester.userId());
            body.put("device_id", requester.deviceId());
            body.put("access_token_id", requester.accessTokenId());
            body.put("is_guest", requester.isGuest());
            body.put("shadow_banned", requester.shadowBanned());
            body.put("authenticated_entity", requester.authenticatedEntity());
            body.put("app_service", requester.isAppService() ? requester.appService().id() : null);
            body.put("remote_user", request.getRemoteUser());
            body.put("principal", request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName());
            body.put("role_admin", request.isUserInRole("admin"));
            body.put("role_guest", request.isUserInRole("guest"));
            body.put("role_appservice", request.isUserInRole("appservice"));
        }
        response.setStatus(200);
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
