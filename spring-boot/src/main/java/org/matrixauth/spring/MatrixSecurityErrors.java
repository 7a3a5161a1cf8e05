package org.matrixauth.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.MatrixErrorWriter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * What Spring Security refuses is answered as the filter answers: Matrix JSON. A request its rules want
 * authenticated that came without a Matrix requester (a route the Matrix rules let through unauthenticated) is
 * 401 {@code M_MISSING_TOKEN}; an authenticated one its rules refuse is 403 {@code M_FORBIDDEN}.
 */
final class MatrixSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {
    private final MatrixErrorWriter errors = new MatrixErrorWriter();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refusal)
            throws IOException {
        errors.write(response, MatrixException.missingToken("Missing access token"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException refusal)
            throws IOException {
        errors.write(response, RequesterAuthenticationFilter.hasRequester(request)
                ? MatrixException.forbidden("You are not allowed to access this resource")
                : MatrixException.missingToken("Missing access token"));
    }
}
