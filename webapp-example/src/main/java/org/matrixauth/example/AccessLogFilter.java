package org.matrixauth.example;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * SPEC OBS-3: one line per request on the logger {@value #LOGGER}, as Synapse's access log
 * ({@code synapse.access.http.PORT}) writes it when the request is done. First in web.xml, so the
 * filter's refusals (401, 403, 429, 503) are logged as the endpoints' answers are: the requester is
 * whatever the auth filter left in the request, none for a refused one.
 */
public class AccessLogFilter extends HttpFilter {
    /** The logger name operators route; documented in the README ("Access log"). */
    public static final String LOGGER = "org.matrixauth.example.access";
    /**
     * The servlet-context parameter naming the header a request's id is taken from (Synapse's
     * listener {@code request_id_header}); without it the id is a sequence number, as in Synapse.
     */
    public static final String REQUEST_ID_HEADER_PARAMETER = "example.request_id_header";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final AtomicLong sequence = new AtomicLong();
    private String requestIdHeader;

    @Override
    public void init() {
        requestIdHeader = getServletContext().getInitParameter(REQUEST_ID_HEADER_PARAMETER);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long startNanos = System.nanoTime();
        String requestId = requestId(request);
        CountingResponse counted = new CountingResponse(response);
        boolean failed = true;
        try {
            chain.doFilter(request, counted);
            failed = false;
        } finally {
            // As Synapse's _should_log_request: a browser's preflight is logged at DEBUG only.
            Level level = request.getMethod().equals("OPTIONS") ? Level.DEBUG : Level.INFO;
            if (LOG.isEnabledForLevel(level)) {
                // An exception that leaves the chain is the container's 500, answered after this filter.
                int status = failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : counted.getStatus();
                LOG.atLevel(level).log(new AccessLogLine(requestId, request.getRemoteAddr(), request.getLocalPort(),
                        Homeserver.requester(request), System.nanoTime() - startNanos, counted.bytesWritten(), status, request.getMethod(),
                        AccessLogLine.uri(request), request.getProtocol(), request.getHeader("User-Agent")).toString());
            }
        }
    }

    /** Synapse's {@code get_request_id}: the method, then the header's value or the request's number. */
    private String requestId(HttpServletRequest request) {
        String fromHeader = requestIdHeader == null ? null : request.getHeader(requestIdHeader);
        return request.getMethod() + "-" + (fromHeader != null ? fromHeader : Long.toString(sequence.incrementAndGet()));
    }
}
