package org.matrixauth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.matrixauth.auth.Requester;

/**
 * The request as the homeserver's servlets see it once authenticated (SPEC REQ-1): the
 * principal is the requester (named by the effective user), and the roles are {@code admin} (the
 * effective user is a server admin, as Synapse checks, decided by the filter), {@code guest} and
 * {@code appservice}.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
    static final String ROLE_ADMIN = "admin";
    static final String ROLE_GUEST = "guest";
    static final String ROLE_APPSERVICE = "appservice";

    private final Requester requester;

    AuthenticatedRequest(HttpServletRequest request, Requester requester) {
        super(request);
        this.requester = requester;
    }

    @Override
    public Principal getUserPrincipal() {
        return requester;
    }

    @Override
    public String getRemoteUser() {
        return requester.userId();
    }

    @Override
    public String getAuthType() {
        return "Bearer";
    }

    @Override
    public boolean isUserInRole(String role) {
        return switch (role) {
            case ROLE_ADMIN -> requester.isServerAdmin();
            case ROLE_GUEST -> requester.isGuest();
            case ROLE_APPSERVICE -> requester.isAppService();
            default -> false;
        };
    }
}
