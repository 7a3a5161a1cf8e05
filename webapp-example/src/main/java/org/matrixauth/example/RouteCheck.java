package org.matrixauth.example;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.ArrayList;
import java.util.List;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRule;
import org.matrixauth.servlet.RouteRules;

/**
 * Fails the web application's start when the filter's route rules do not give every endpoint of
 * the {@link RouteTable} the rule it declares: web.xml ends with {@code /** public}, so an
 * endpoint it forgets would otherwise be served to anyone. Registered in web.xml as a listener,
 * it runs before the filter starts (listeners are told of the context first), in the jar and
 * in the war alike.
 *
 * <p>The rules are asked what they give at each of an endpoint's paths (a {@code *} stands for
 * any one segment) and its method, HEAD too for a GET since the servlets serve HEAD as GET; what
 * they give must be the endpoint's rule exactly, so that a stricter one, which would change what
 * clients see, is caught too.
 */
public class RouteCheck implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        List<String> problems = problems(RouteTable.ALL, RouteRules.parse(routes(event.getServletContext())));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The filter's route rules do not give these endpoints the rules they declare in RouteTable;"
                    + " list each one in web.xml before the catch-all:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line for each endpoint whose rule the route rules do not give, naming the rule it needs. */
    static List<String> problems(List<Endpoint> endpoints, RouteRules routes) {
        List<String> problems = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            RouteRule needed = endpoint.rule();
            List<String> methods = endpoint.method().equals("GET") ? List.of("GET", "HEAD") : List.of(endpoint.method());
            boolean given = endpoint.path().examples().stream()
                    .allMatch(path -> methods.stream().allMatch(method -> routes.match(method, path).equals(needed)));
            if (!given) {
                problems.add(endpoint + " needs '" + endpoint.ruleLine() + "'");
            }
        }
        return problems;
    }

    /** The rules the filter will use: a servlet-context {@code matrix_auth.routes} overrides its init-param. */
    private static String routes(ServletContext context) {
        String deployers = context.getInitParameter(MatrixAuthFilter.CONTEXT_PARAM_PREFIX + RouteRules.INIT_PARAM);
        if (deployers != null) {
            return deployers;
        }
        List<String> rules = new ArrayList<>();
        for (FilterRegistration filter : context.getFilterRegistrations().values()) {
            if (MatrixAuthFilter.class.getName().equals(filter.getClassName())) {
                rules.add(filter.getInitParameter(RouteRules.INIT_PARAM));
            }
        }
        if (rules.size() != 1) {
            throw new IllegalStateException("Expected one MatrixAuthFilter in this web application, found " + rules.size());
        }
        return rules.get(0);
    }
}
