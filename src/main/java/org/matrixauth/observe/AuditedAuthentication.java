package org.matrixauth.observe;

import java.util.List;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.auth.Authentication;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.Requester;

/**
 * {@link Authentication} whose requesters acting as someone else are audited (OBS-4): the
 * filter's requests and a homeserver's own calls alike (its appservice login, its registration).
 */
public final class AuditedAuthentication implements Authentication {
    private final Authentication authentication;
    private final ActingAsAudit audit;

    public AuditedAuthentication(Authentication authentication, ActingAsAudit audit) {
        this.authentication = authentication;
        this.audit = audit;
    }

    @Override
    public Requester authenticate(ClientRequest request, AuthOptions options) {
        Requester requester = authentication.authenticate(request, options);
        audit.record(requester);
        return requester;
    }

    @Override
    public boolean hasAccessToken(ClientRequest request) {
        return authentication.hasAccessToken(request);
    }

    @Override
    public void requireAuthorizationServer(ClientRequest request) {
        authentication.requireAuthorizationServer(request);
    }

    @Override
    public void requireUndelegated() {
        authentication.requireUndelegated();
    }

    @Override
    public String clientIp(String peerAddress, List<String> forwardedFor) {
        return authentication.clientIp(peerAddress, forwardedFor);
    }

    @Override
    public boolean trustsForwardedFor(String peerAddress) {
        return authentication.trustsForwardedFor(peerAddress);
    }
}
