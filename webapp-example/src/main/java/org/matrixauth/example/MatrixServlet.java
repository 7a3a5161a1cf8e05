package org.matrixauth.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.MatrixErrorWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint group: routes on method and path below the servlet's mapping as Synapse routes
 * (404 for a path it does not serve, 405 for a served path asked with another method, both
 * M_UNRECOGNIZED), and answers every failure as Matrix JSON (never a stack trace).
 */
abstract class MatrixServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixServlet.class);
    private final MatrixErrorWriter errors = new MatrixErrorWriter();
    private List<Endpoint> endpoints;

    /** One endpoint's work, given the path's match (its groups are the path's parameters). */
    @FunctionalInterface
    interface Handler {
        void handle(Matcher path, HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
                throws IOException;
    }

    /** The work of an endpoint whose path has no parameters. */
    @FunctionalInterface
    interface PlainHandler {
        void handle(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException;
    }

    /** A method and a path pattern below the servlet's mapping, e.g. {@code POST /login}. */
    record Endpoint(String method, Pattern path, Handler handler) {
        static Endpoint of(String method, String pathRegex, Handler handler) {
            return new Endpoint(method, Pattern.compile(pathRegex), handler);
        }

        static Endpoint of(String method, String pathRegex, PlainHandler handler) {
            return of(method, pathRegex, (path, request, response, homeserver) -> handler.handle(request, response, homeserver));
        }
    }

    /**
     * What this servlet serves; the filter's route rules in web.xml list the same. It may depend on
     * the homeserver's mode: with delegated authentication Synapse serves other endpoints.
     */
    abstract List<Endpoint> endpoints(Homeserver homeserver);

    /** The filter has started by now (filters start with the application; servlets on first use). */
    @Override
    public void init() {
        endpoints = List.copyOf(endpoints(Homeserver.of(getServletContext())));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        // As Synapse: HEAD is served as GET (the container sends no body).
        String method = request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
        try {
            boolean pathServed = false;
            for (Endpoint endpoint : endpoints) {
                Matcher matcher = endpoint.path.matcher(path);
                if (matcher.matches()) {
                    if (endpoint.method.equals(method)) {
                        endpoint.handler.handle(matcher, request, response, Homeserver.of(getServletContext()));
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
