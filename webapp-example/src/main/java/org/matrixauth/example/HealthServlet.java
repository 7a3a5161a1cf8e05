package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.matrixauth.health.Health;

/**
 * OBS-5 for load balancers: {@code GET /health} as Synapse's {@code HealthResource} (200 "OK" while
 * the process runs), and {@code GET /health/ready}, the library's {@link Health}: 200 while the
 * node can serve, 503 with {@code Retry-After} while it cannot (its database unreachable, or the
 * authorization server when delegated), each check with its problem.
 */
public class HealthServlet extends MatrixServlet {
    public HealthServlet() {
        super(RouteTable.HEALTH);
    }

    static void alive(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        response.setStatus(200);
        response.setContentType("text/plain");
        response.getOutputStream().write("OK".getBytes(StandardCharsets.US_ASCII));
    }

    static void ready(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        Health health = homeserver.auth.health();
        List<Map<String, Object>> checks = health.checks().stream().map(HealthServlet::check).toList();
        if (!health.canServe()) {
            response.setHeader("Retry-After", "1");
        }
        Json.write(response, health.canServe() ? 200 : 503, Map.of("can_serve", health.canServe(), "checks", checks));
    }

    private static Map<String, Object> check(Health.Check check) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", check.name());
        fields.put("ok", check.ok());
        fields.put("required", check.required());
        if (check.problem() != null) {
            fields.put("problem", check.problem());
        }
        return fields;
    }
}
