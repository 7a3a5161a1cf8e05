package org.matrixauth.config;

import org.matrixauth.api.PublicApi;

/**
 * How much failed token checks may cost (this project's {@code rc_failed_token_checks}, in the
 * shape of Synapse's rate limits): a token bucket per client address, and a bound on checks that
 * reach the database (or the authorization server) at once.
 *
 * @param perSecond failed checks an address may make per second, on average
 * @param burstCount failed checks an address may make at once
 * @param maxConcurrentLookups uncached token checks in flight at once, over every address
 */
@PublicApi
public record FailedTokenChecksConfig(double perSecond, int burstCount, int maxConcurrentLookups) {
    static final String SECTION = "rc_failed_token_checks";
    /**
     * A client retrying a dead token once a second, or a NAT's users retrying theirs, stays well
     * below: what is limited is guessing, hundreds of tokens a second.
     */
    static final double DEFAULT_PER_SECOND = 5;
    static final int DEFAULT_BURST_COUNT = 50;

    /** @param poolSize the request pool's size: by default half of it may wait on uncached lookups */
    static FailedTokenChecksConfig read(Settings reader, int poolSize) {
        reader.ownSection(SECTION);
        return new FailedTokenChecksConfig(
                reader.positiveNumber(SECTION + ".per_second", DEFAULT_PER_SECOND),
                reader.integer(SECTION + ".burst_count", DEFAULT_BURST_COUNT, 1, 1_000_000),
                reader.integer(SECTION + ".max_concurrent_lookups", Math.max(1, poolSize / 2), 1, 100_000));
    }
}
