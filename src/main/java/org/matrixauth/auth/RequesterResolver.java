package org.matrixauth.auth;

import java.util.List;
import java.util.Optional;
import org.matrixauth.error.MatrixException;
import org.matrixauth.token.AccessTokenExtractor;
import org.matrixauth.tracking.RequestRecorder;

/**
 * Synapse's {@code Auth.get_user_by_req}, in one straight line: take the token (EXT), let the
 * first token authenticator that claims it say who is asking (AS, TOK, MAC, and any added kind),
 * check what the route refuses before recording (TOK-3/7/9), record the request (TRK-1, AS-7),
 * check what it refuses after (TOK-5), accept the token (TOK-6), and check what the route
 * requires (REQ-2, BLK).
 */
public final class RequesterResolver {
    private static final String ACCESS_TOKEN_PARAM = "access_token";

    private final AccessTokenExtractor extractor;
    private final List<TokenAuthenticator> authenticators;
    private final RequestPolicy policy;
    private final RequestRecorder recorder;

    /** @param authenticators asked in this order; the first that claims a token decides */
    public RequesterResolver(AccessTokenExtractor extractor, List<TokenAuthenticator> authenticators,
                             RequestPolicy policy, RequestRecorder recorder) {
        this.extractor = extractor;
        this.authenticators = List.copyOf(authenticators);
        this.policy = policy;
        this.recorder = recorder;
    }

    /** REQ-4: whether the request carries a token at all. */
    public boolean hasAccessToken(ClientRequest request) {
        return extractor.hasAccessToken(request.authorizationHeaders(), request.queryValues(ACCESS_TOKEN_PARAM));
    }

    /** EXT: the request's token. @throws MatrixException when it has none, or a malformed one */
    public String extractToken(ClientRequest request) {
        return extractor.extract(request.authorizationHeaders(), request.queryValues(ACCESS_TOKEN_PARAM));
    }

    /** @throws MatrixException when the request may not proceed */
    public Requester resolve(ClientRequest request, AuthOptions options) {
        String token = extractToken(request);
        for (TokenAuthenticator authenticator : authenticators) {
            Optional<Requester> claimed = authenticator.authenticate(token, request);
            if (claimed.isPresent()) {
                Requester requester = claimed.get();
                policy.beforeRecording(requester, options);
                recorder.record(requester, token, request);
                policy.afterRecording(requester, options);
                authenticator.accepted(token, requester);
                policy.routeRequirements(requester, options);
                return requester;
            }
        }
        throw MatrixException.unrecognisedToken(); // TOK-2: no kind claims it
    }
}
