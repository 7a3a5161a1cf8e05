package org.matrixauth.auth;

import org.matrixauth.api.PublicApi;

/**
 * FLOOD's limit for one request, handed to every token authenticator it asks. An authenticator
 * calls {@link #beforeCostlyCheck()} just before checking the token costs I/O (a query, an
 * introspection) or a macaroon's HMAC chain: such checks are limited per client address and in
 * total, and counted when they fail (FLOOD-1, FLOOD-3). An answer from memory (a cached token)
 * calls nothing and costs nothing, which is why the limit is asked for at that point and not
 * before the authenticator runs: finding out whether an answer is cached is the answer's own look.
 */
@PublicApi
@FunctionalInterface
public interface CostlyCheckLimit {
    /**
     * Takes the request's place among the costly checks; later calls for the same request do nothing.
     *
     * @throws org.matrixauth.error.MatrixException 429 {@code M_LIMIT_EXCEEDED} when the client's
     *     address has failed too many checks, or too many run at once: the authenticator lets it pass
     */
    void beforeCostlyCheck();
}
