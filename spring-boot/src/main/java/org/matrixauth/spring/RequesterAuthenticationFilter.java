package org.matrixauth.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.matrixauth.auth.Requester;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Inside Spring Security's chain, just after the security context is set up: the requester that
 * {@link MatrixAuthFilter} (which ran before the chain) attached to the request becomes the request's
 * {@link MatrixAuthentication}. Nothing is saved in a session; every request is authenticated by its own token.
 * It runs on every dispatch (an error page's too), since the request attribute lives as long as the request.
 */
final class RequesterAuthenticationFilter implements Filter {
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    /** Whether the Matrix filter authenticated the request. */
    static boolean hasRequester(ServletRequest request) {
        return request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE) instanceof Requester;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE) instanceof Requester requester) {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(new MatrixAuthentication(requester));
            contexts.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
