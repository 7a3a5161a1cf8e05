package org.matrixauth.example;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.matrixauth.servlet.BrowserHeaders;

/**
 * Synapse's CORS, first in the chain (SPEC WEB-1, WEB-2). Every answer gets its CORS headers before
 * anything is written, so the endpoints' answers, the filter's refusals and the error page's (this
 * filter is mapped for error dispatches too) all carry them. {@code OPTIONS} on any path is a
 * preflight and is answered here, as Synapse's {@code OptionsResource} does: 204, no body, before
 * routing (the servlets would answer 405) and before authentication (a preflight carries no token).
 */
public class SynapseCorsFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        BrowserHeaders.addCors(response);
        if (request.getMethod().equals("OPTIONS") && request.getDispatcherType() == DispatcherType.REQUEST) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }
}
