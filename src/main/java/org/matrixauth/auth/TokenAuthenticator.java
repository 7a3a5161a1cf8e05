package org.matrixauth.auth;

import java.util.Optional;
import org.matrixauth.api.PublicApi;

/**
 * One kind of access token (application services' tokens, Synapse's access tokens, guest
 * macaroons, and any kind a homeserver adds through {@code MatrixAuth.Builder#authenticator}).
 * The resolver asks each kind in turn; the first that claims the token decides. An answer is one
 * of three things:
 * <ul>
 *   <li>"not mine": {@link Optional#empty()}, and the next kind is asked;</li>
 *   <li>"mine, refused": a {@link org.matrixauth.error.MatrixException} carrying the Matrix error;</li>
 *   <li>"mine, this requester": the requester, which the resolver's policy then checks.</li>
 * </ul>
 * Checks that depend on the route (expiry, locks, guests, admin) are the resolver's, not the
 * authenticator's: it only says what the token is.
 */
@PublicApi
@FunctionalInterface
public interface TokenAuthenticator {
    /**
     * @param token the extracted token (EXT rules already applied: printable ASCII, at most 4096 bytes)
     * @param limit FLOOD: called just before checking the token costs I/O (a query, an
     *     introspection) or an HMAC chain; not called when the answer comes from memory
     * @throws org.matrixauth.error.MatrixException when the token is this kind's and refused, or
     *     when the limit refuses the costly check (429)
     */
    Optional<Requester> authenticate(String token, ClientRequest request, CostlyCheckLimit limit);

    /**
     * Told once the request has passed every check that the token itself can fail (TOK-6 marks a
     * fresh token used here).
     */
    default void accepted(String token, Requester requester) {}
}
