package org.matrixauth.auth;

import java.util.List;
import org.matrixauth.api.PublicApi;
import org.matrixauth.error.MatrixException;

/**
 * Who is asking, request by request: what the filter does for each request, and what a homeserver
 * calls itself where Synapse authenticates inside a handler (its login with
 * {@code m.login.application_service}, its registration). Every answer is counted in the metrics
 * by outcome.
 */
@PublicApi
public interface Authentication {
    /**
     * Authenticates a request for a route with these options, as Synapse's {@code get_user_by_req},
     * recording it.
     *
     * @throws MatrixException when the request may not proceed; 500 M_UNKNOWN for a failure inside
     *     the server, logged without its message (ERR-3: JDBI's carries the statement's arguments,
     *     so the token)
     */
    Requester authenticate(ClientRequest request, AuthOptions options);

    /** REQ-4: whether the request carries a token at all. */
    boolean hasAccessToken(ClientRequest request);

    /**
     * OAU-10: a request to a route only the authorization server may call (its provisioning API)
     * must carry the shared secret as its token. Without delegation there is no such server and the
     * route does not exist: Synapse mounts {@code /_synapse/mas} only with MAS on.
     *
     * @throws MatrixException 403 M_FORBIDDEN when the token is not the secret, a missing token
     *     included; 404 M_UNRECOGNIZED without delegation
     */
    void requireAuthorizationServer(ClientRequest request);

    /**
     * A route that exists only while the homeserver authenticates by itself: with delegation on,
     * Synapse registers no password login, logout or registration (the authorization server does
     * those), so they are not served, token or not.
     *
     * @throws MatrixException 404 M_UNRECOGNIZED while delegation is on
     */
    void requireUndelegated();

    /** TRK-2: the socket peer, or the first forwarded address when the peer is a trusted proxy. */
    String clientIp(String peerAddress, List<String> forwardedFor);

    /** TRK-2: whether {@code X-Forwarded-For} counts for a request from this peer; it need not be read otherwise. */
    boolean trustsForwardedFor(String peerAddress);
}
