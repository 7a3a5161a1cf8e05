package org.matrixauth.servlet;

import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.matrixauth.MatrixAuth;
import org.matrixauth.api.PublicApi;

/**
 * Serves the filter's metrics in Prometheus' text format. Map it in the same web application as
 * the filter (and give its path a {@code public} route rule, or protect it another way); it finds
 * the filter's {@link MatrixAuth} in the servlet context.
 */
@PublicApi
public class MatrixAuthMetricsServlet extends HttpServlet {
    private volatile PrometheusMetricsServlet exporter;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        exporter().service(request, response);
    }

    /** Looked up on first use: the container may start this servlet before the filter. */
    private PrometheusMetricsServlet exporter() throws ServletException {
        if (exporter == null) {
            MatrixAuth auth = (MatrixAuth) getServletContext().getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE);
            if (auth == null) {
                throw new ServletException("no MatrixAuthFilter in this web application");
            }
            PrometheusMetricsServlet created = new PrometheusMetricsServlet(auth.metricsRegistry());
            created.init(getServletConfig());
            exporter = created;
        }
        return exporter;
    }
}
