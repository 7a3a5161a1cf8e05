package org.matrixauth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.matrixauth.auth.Requester;
import org.matrixauth.store.UserStore;

/**
 * The request as the homeserver's servlets see it once authenticated (SPEC REQ-1): the
 * principal is the effective user, and the roles are {@code admin} (the effective user is a
 * server admin, as Synapse checks), {@code guest} and {@code appservice}.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
    static final String ROLE_ADMIN = "admin";
    static final String ROLE_GUEST = "guest";
    static final String ROLE_APPSERVICE = "appservice";

    private final Requester requester;
    private final UserStore users;
    private final Principal principal;
    /** Looked up the first time a servlet asks, at most once per request. */
    private Boolean serverAdmin;

    AuthenticatedRequest(HttpServletRequest request, Requester requester, UserStore users, Boolean serverAdmin) {
        super(request);
        this.requester = requester;
        this.users = users;
        this.principal = requester::userId;
        this.serverAdmin = serverAdmin;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
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
            case ROLE_ADMIN -> isServerAdmin();
            case ROLE_GUEST -> requester.isGuest();
            case ROLE_APPSERVICE -> requester.isAppService();
            default -> false;
        };
    }

    private boolean isServerAdmin() {
        if (serverAdmin == null) {
            serverAdmin = users.isServerAdmin(requester.userId());
        }
        return serverAdmin;
    }
}
