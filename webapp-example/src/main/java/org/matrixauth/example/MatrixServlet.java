package org.matrixauth.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.MatrixErrorWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint group: serves its part of the {@link RouteTable}, routing on method and path as
 * Synapse routes (404 for a path it does not serve, 405 for a served path asked with another
 * method, both M_UNRECOGNIZED), and answers every failure as Matrix JSON (never a stack trace).
 * It routes on the path below the context path, the one the filter matched its rule on, so an
 * endpoint's path is one text for both.
 */
abstract class MatrixServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixServlet.class);
    private final MatrixErrorWriter errors = new MatrixErrorWriter();
    private final List<Endpoint> group;
    private List<Endpoint> endpoints;

    /** @param group the endpoints below this servlet's mapping */
    MatrixServlet(List<Endpoint> group) {
        this.group = group;
    }

    /**
     * The filter has started by now (filters start with the application; servlets on first use),
     * so the homeserver's mode is known: with delegated authentication Synapse serves other endpoints.
     */
    @Override
    public void init() {
        boolean delegated = Homeserver.of(getServletContext()).delegated;
        endpoints = group.stream().filter(endpoint -> endpoint.served().in(delegated)).toList();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? request.getServletPath() : request.getServletPath() + request.getPathInfo();
        // As Synapse: HEAD is served as GET (the container sends no body).
        String method = request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
        try {
            boolean pathServed = false;
            for (Endpoint endpoint : endpoints) {
                Matcher matcher = endpoint.path().regex().matcher(path);
                if (matcher.matches()) {
                    if (endpoint.method().equals(method)) {
                        endpoint.handler().handle(matcher, request, response, Homeserver.of(getServletContext()));
                        return;
                    }
                    pathServed = true;
                }
            }
            throw MatrixException.unrecognized(pathServed ? 405 : 404);
        } catch (MatrixException e) {
            errors.write(response, e);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", request.getMethod(), request.getServletPath(), e.getClass().getName());
            errors.write(response, MatrixException.internal());
        }
    }
}
