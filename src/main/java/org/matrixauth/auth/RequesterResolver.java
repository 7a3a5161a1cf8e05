package org.matrixauth.auth;

import java.util.List;
import java.util.Optional;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.ratelimit.FailedTokenChecks;
import org.matrixauth.token.AccessTokenExtractor;

/**
 * Synapse's {@code Auth.get_user_by_req}, in one straight line: take the token (EXT), let the
 * first token authenticator that claims it say who is asking (AS, TOK, MAC, and any added kind),
 * check what the route refuses before recording (TOK-3/7/9), record the request (TRK-1, AS-7),
 * check what it refuses after (TOK-5), accept the token (TOK-6), and check what the route
 * requires (REQ-2, BLK). Checks that cost I/O are limited per client address (FLOOD).
 */
public final class RequesterResolver {
    private static final String ACCESS_TOKEN_PARAM = "access_token";

    private final AccessTokenExtractor extractor;
    private final List<TokenAuthenticator> authenticators;
    private final RequestPolicy policy;
    private final RequestRecorder recorder;
    private final FailedTokenChecks failedChecks;

    /** @param authenticators asked in this order; the first that claims a token decides */
    public RequesterResolver(AccessTokenExtractor extractor, List<TokenAuthenticator> authenticators,
                             RequestPolicy policy, RequestRecorder recorder, FailedTokenChecks failedChecks) {
        this.extractor = extractor;
        this.authenticators = List.copyOf(authenticators);
        this.policy = policy;
        this.recorder = recorder;
        this.failedChecks = failedChecks;
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
        Claim claim = claim(token, request);
        Requester requester = claim.requester();
        policy.beforeRecording(requester, options);
        recorder.record(requester, token, request);
        policy.afterRecording(requester, options);
        claim.authenticator().accepted(token, requester);
        policy.routeRequirements(requester, options);
        return requester;
    }

    /**
     * The first authenticator that claims the token says who is asking (TOK-2 when none does). A
     * check that costs I/O runs within FLOOD's limits: it is counted as failed unless the token
     * was valid or the failure was the server's own.
     */
    private Claim claim(String token, ClientRequest request) {
        LimitedCheck limit = new LimitedCheck(request.clientIp(), token);
        try {
            for (TokenAuthenticator authenticator : authenticators) {
                Optional<Requester> claimed = authenticator.authenticate(token, request, limit);
                if (claimed.isPresent()) {
                    limit.succeeded();
                    return new Claim(authenticator, claimed.get());
                }
            }
            throw MatrixException.unrecognisedToken();
        } catch (RuntimeException failure) {
            if (!isRefusedToken(failure)) {
                limit.notCounted();
            }
            throw failure;
        } finally {
            limit.close();
        }
    }

    /** A token nobody recognises, or that its kind refused as unknown: what guessing ends with. */
    private static boolean isRefusedToken(RuntimeException failure) {
        return failure instanceof MatrixException refusal && refusal.is(Errcode.M_UNKNOWN_TOKEN);
    }

    private record Claim(TokenAuthenticator authenticator, Requester requester) {}

    /** FLOOD's check of one request: opened by the first authenticator about to cost I/O, if any. */
    private final class LimitedCheck implements CostlyCheckLimit {
        private final String clientIp;
        private final String token;
        private FailedTokenChecks.Check check;

        LimitedCheck(String clientIp, String token) {
            this.clientIp = clientIp;
            this.token = token;
        }

        @Override
        public void beforeCostlyCheck() {
            if (check == null) {
                check = failedChecks.open(clientIp, token);
            }
        }

        /** The token was valid: no failed check to count, and the next one is its user's too. */
        void succeeded() {
            if (check != null) {
                check.succeeded();
            }
        }

        /** The failure was the server's own: no failed check to count, and nothing learnt of the token. */
        void notCounted() {
            if (check != null) {
                check.notCounted();
            }
        }

        void close() {
            if (check != null) {
                check.close();
            }
        }
    }
}
