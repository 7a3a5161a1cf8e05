package org.matrixauth.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.MatrixErrorWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint group: dispatches on method and path below the servlet's mapping, and answers every
 * failure as Matrix JSON (never a stack trace).
 */
abstract class MatrixServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixServlet.class);
    private final MatrixErrorWriter errors = new MatrixErrorWriter();

    /** @param path the path below the servlet's mapping, e.g. {@code /login} */
    abstract void handle(String method, String path, HttpServletRequest request, HttpServletResponse response,
                         Homeserver homeserver) throws IOException;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            handle(request.getMethod(), path, request, response, Homeserver.of(getServletContext()));
        } catch (MatrixException e) {
            errors.write(response, e);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", request.getMethod(), request.getServletPath(), e.getClass().getName());
            errors.write(response, MatrixException.internal());
        }
    }

    static MatrixException unrecognized() {
        return ContainerErrors.forStatus(404);
    }
}
