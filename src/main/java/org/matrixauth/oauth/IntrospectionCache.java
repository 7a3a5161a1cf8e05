package org.matrixauth.oauth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.matrixauth.cache.CacheBuilders;
import org.matrixauth.cache.Evictable;
import org.matrixauth.cache.Subject;

/**
 * Introspection answers by token (SPEC OAU-8): one introspection however many requests ask for an
 * uncached token at once (Caffeine's asynchronous cache), only proper answers kept (a failed one
 * is dropped with its future), each for at most {@code introspection_cache_lifetime} and never past
 * the token's own expiry. Beyond Synapse, which waits out its two minutes: a change to a user or a
 * device, made here or notified by another node (CACHE-3), evicts that user's (or device's) answers,
 * found through an index rather than a scan.
 */
final class IntrospectionCache implements Evictable {
    /**
     * A failure is kept as a value for the requests already waiting on it, and expires at once:
     * a failed future would do the same, but Caffeine logs every one as a warning, and a down
     * server would flood the log.
     */
    private final AsyncCache<String, Outcome> answers;
    private final IntrospectionClient client;
    private final Duration wait;
    private final String serverName;
    /** user id → the tokens whose cached answers name that user. */
    private final Map<String, Set<String>> tokensByUser = new ConcurrentHashMap<>();

    IntrospectionCache(IntrospectionClient client, Duration lifetime, Duration wait, long maximumSize, String serverName,
                       Clock clock) {
        this.client = client;
        this.wait = wait;
        this.serverName = serverName;
        this.answers = CacheBuilders.newBuilder(clock)
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<String, Outcome>creating((token, outcome) -> outcome.failure() != null
                        ? Duration.ZERO : lifetime(outcome.answer(), lifetime, clock)))
                .removalListener(this::forget)
                .recordStats()
                .buildAsync();
    }

    private static Duration lifetime(Introspection answer, Duration lifetime, Clock clock) {
        long untilExpiry = answer.expiresAtMs() - clock.millis();
        return untilExpiry < lifetime.toMillis() ? Duration.ofMillis(Math.max(0, untilExpiry)) : lifetime;
    }

    /**
     * The cached answer, or the one being fetched, or a new introspection.
     *
     * @throws IntrospectionFailure when the server gave no proper answer within the request timeout
     */
    Introspection get(String token) {
        CompletableFuture<Outcome> pending = answers.get(token, (key, executor) -> client.introspect(key)
                .handle((introspection, error) -> error == null
                        ? new Outcome(remember(key, introspection), null)
                        : new Outcome(null, asFailure(error))));
        try {
            // The client's own timeout ends the exchange; this only guards against a future never completed.
            Outcome outcome = pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (outcome.failure() != null) {
                answers.asMap().remove(token, pending);
                throw outcome.failure();
            }
            return outcome.answer();
        } catch (ExecutionException e) {
            throw asFailure(e.getCause());
        } catch (TimeoutException e) {
            throw new IntrospectionFailure(IntrospectionFailure.Kind.TIMEOUT, "no answer in " + wait.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntrospectionFailure(IntrospectionFailure.Kind.TRANSPORT, "interrupted");
        }
    }

    private static IntrospectionFailure asFailure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof IntrospectionFailure failure ? failure
                : new IntrospectionFailure(IntrospectionFailure.Kind.TRANSPORT, cause.getClass().getName());
    }

    /** A proper answer is here (one still being fetched costs its requester nothing more either). */
    boolean isCached(String token) {
        return answers.asMap().containsKey(token); // a look that counts as no hit or miss
    }

    /** OAU-6: the device is gone, so the answer goes too. */
    void evict(String token) {
        answers.synchronous().invalidate(token);
    }

    private Introspection remember(String token, Introspection answer) {
        if (answer.username() != null) {
            tokensByUser.computeIfAbsent(userId(answer), user -> ConcurrentHashMap.newKeySet()).add(token);
        }
        return answer;
    }

    /** A replaced answer's token is indexed again by its replacement. */
    private void forget(String token, Outcome outcome, RemovalCause cause) {
        Introspection answer = outcome == null ? null : outcome.answer();
        if (token != null && answer != null && answer.username() != null && cause != RemovalCause.REPLACED) {
            tokensByUser.computeIfPresent(userId(answer), (user, tokens) -> {
                tokens.remove(token);
                return tokens.isEmpty() ? null : tokens;
            });
        }
    }

    private String userId(Introspection answer) {
        return "@" + answer.username() + ":" + serverName;
    }

    /**
     * A user's change drops their answers; so does a device's, all of the user's, not only the
     * device's: they are few, re-asking costs one introspection each, and the device an answer
     * names is known only once OAU-6 has read it. A token row's change is none of these answers'.
     */
    @Override
    public void evict(Subject subject) {
        String userId = subject instanceof Subject.User user ? user.userId()
                : subject instanceof Subject.Device device ? device.userId()
                : null;
        if (userId != null) {
            Set<String> tokens = tokensByUser.remove(userId);
            if (tokens != null) {
                answers.synchronous().invalidateAll(tokens);
            }
        }
    }

    @Override
    public void evictAll() {
        answers.synchronous().invalidateAll();
    }

    /** For metrics: hits, misses, evictions, size. */
    Cache<String, Outcome> statistics() {
        return answers.synchronous();
    }

    /** What one introspection ended with: an answer, or the failure that waiting requests share. */
    record Outcome(Introspection answer, IntrospectionFailure failure) {}
}
