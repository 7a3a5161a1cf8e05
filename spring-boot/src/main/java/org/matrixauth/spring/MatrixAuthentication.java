package org.matrixauth.spring;

import java.util.ArrayList;
import java.util.List;
import org.matrixauth.auth.Requester;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The Matrix requester as Spring Security's {@code Authentication}: its principal is the {@link Requester}, its name
 * the effective user, and its roles the filter's own ({@code admin}, {@code guest}, {@code appservice}), so that
 * {@code hasRole("admin")} and {@code request.isUserInRole("admin")} answer as they do without Spring Security.
 * The token is never kept: there are no credentials.
 */
final class MatrixAuthentication extends AbstractAuthenticationToken {
    private final Requester requester;

    MatrixAuthentication(Requester requester) {
        super(roles(requester));
        this.requester = requester;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> roles(Requester requester) {
        List<GrantedAuthority> roles = new ArrayList<>();
        if (requester.isServerAdmin()) {
            roles.add(new SimpleGrantedAuthority("ROLE_admin"));
        }
        if (requester.isGuest()) {
            roles.add(new SimpleGrantedAuthority("ROLE_guest"));
        }
        if (requester.isAppService()) {
            roles.add(new SimpleGrantedAuthority("ROLE_appservice"));
        }
        return roles;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Requester getPrincipal() {
        return requester;
    }
}
