package org.matrixauth.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import org.matrixauth.cache.CacheBuilders;

/**
 * Tokens found valid lately, by a digest (never the token): a check of one of them is not charged
 * to its address's bucket, so that a flood from a shared address does not lock out the users
 * behind it once their cached entries end (FLOOD-1). It outlives the token cache on purpose: an
 * entry there lives a second without change notifications. A remembered token that then fails is
 * forgotten, so each one buys at most one free failed check; the tokens themselves are still
 * looked up every time the cache does not hold them.
 */
final class RecentlyValidTokens {
    /** A digest of 128 bits: no two tokens of a server's lifetime share one by chance. */
    record Digest(long high, long low) {}

    private final Cache<Digest, Boolean> digests;

    RecentlyValidTokens(long maximumSize, Duration rememberFor, Clock clock) {
        this.digests = CacheBuilders.newBuilder(clock).maximumSize(maximumSize).expireAfterWrite(rememberFor).build();
    }

    static Digest digest(String token) {
        ByteBuffer sha = ByteBuffer.wrap(sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
        return new Digest(sha.getLong(), sha.getLong());
    }

    boolean contains(Digest digest) {
        return digests.asMap().containsKey(digest);
    }

    /** Found valid now: remembered from now on for the whole term again. */
    void remember(Digest digest) {
        digests.put(digest, Boolean.TRUE);
    }

    void forget(Digest digest) {
        digests.invalidate(digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
