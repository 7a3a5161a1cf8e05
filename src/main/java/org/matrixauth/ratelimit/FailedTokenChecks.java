package org.matrixauth.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.matrixauth.cache.CacheBuilders;
import org.matrixauth.config.FailedTokenChecksConfig;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.metrics.MetricsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What failed token checks may cost (README's FLOOD rules). A token check that needs I/O (a
 * query, an introspection, a macaroon's HMAC after one) takes a token from its address group's
 * bucket before it starts, and gives it back if the token turns out to be valid: so only failed
 * checks use the bucket up, and an empty bucket refuses the next uncached check with 429, without
 * a query (FLOOD-1). The users behind an address that floods are told from the flood in two ways:
 * a token found valid lately (its digest remembered for {@value #REMEMBERED_FOR_HOURS} h, far
 * longer than it stays cached) is checked without a bucket, and a token whose checksum fits (Synapse's or MAS's,
 * a fresh login's) is charged to a bucket of its own, which guesses without one never touch. At
 * most {@code max_concurrent_lookups} such checks run at once, whatever the
 * address; a check waits a moment for a place ({@value #LOOKUP_WAIT_MS} ms, so that a flood's
 * first burst, or concurrent first requests with one new token, delay others rather than refuse
 * them), then is refused with 429 (FLOOD-3). Cached tokens never come here. Buckets are a bounded cache, dropped once
 * full again; nothing is logged per refusal, one summary a minute at most (FLOOD-4).
 */
public final class FailedTokenChecks implements MetricsSource {
    /** What a client is told to wait when the lookups in flight are all taken. */
    static final long BUSY_RETRY_AFTER_MS = 1_000;
    /** How long a check waits for a place among the lookups in flight: well below the pool's 3 s. */
    static final long LOOKUP_WAIT_MS = 250;
    static final long MAX_ADDRESS_GROUPS = 100_000;
    /** Tokens found valid whose digests are kept: as many as the token cache holds by default, at about 130 bytes each. */
    static final long MAX_REMEMBERED_TOKENS = 100_000;
    /** A client that sent its token within a day is one of the address's users, not its flood. */
    static final long REMEMBERED_FOR_HOURS = 24;
    static final long SUMMARY_INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(FailedTokenChecks.class);
    private static final String REFUSED_ERROR = "Too many requests with tokens that could not be checked";
    /** One instance, told apart by identity: it carries no stack trace and nothing of the request. */
    private static final MatrixException BUSY = new MatrixException(429, Errcode.M_LIMIT_EXCEEDED, REFUSED_ERROR,
            Map.of("retry_after_ms", BUSY_RETRY_AFTER_MS));

    private final FailedTokenChecksConfig config;
    private final Cache<String, Bucket> buckets;
    /** Per address group, the bucket of tokens with a fitting checksum ({@link TokenChecksums}): a guess with one is charged here. */
    private final Cache<String, Bucket> checksummedBuckets;
    private final RecentlyValidTokens recentlyValid;
    private final Semaphore lookups;
    private final Clock clock;
    private final TimeMeter refillTime;
    private final Counter refused = Counter.builder()
            .name("matrix_auth_failed_token_checks_refused")
            .help("Uncached token checks refused with 429, by reason: 'rate' (the address's failed checks) or 'busy' (max_concurrent_lookups)")
            .labelNames("reason")
            .build();
    private final AtomicLong refusedSinceSummary = new AtomicLong();
    private volatile long summaryAt;

    public FailedTokenChecks(FailedTokenChecksConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.lookups = new Semaphore(config.maxConcurrentLookups());
        this.recentlyValid = new RecentlyValidTokens(MAX_REMEMBERED_TOKENS, Duration.ofHours(REMEMBERED_FOR_HOURS), clock);
        Ticker ticker = CacheBuilders.ticker(clock);
        this.refillTime = new TimeMeter() { // refills on the library's clock, as the buckets' expiry
            @Override
            public long currentTimeNanos() {
                return ticker.read();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        // A bucket left alone this long is full again: forgetting it changes nothing.
        Duration refillAll = Duration.ofMillis((long) Math.ceil(config.burstCount() * 1000 / config.perSecond()));
        Duration forgetAfter = refillAll.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : refillAll;
        this.buckets = CacheBuilders.newBuilder(clock).maximumSize(MAX_ADDRESS_GROUPS).expireAfterAccess(forgetAfter).build();
        this.checksummedBuckets = CacheBuilders.newBuilder(clock).maximumSize(MAX_ADDRESS_GROUPS).expireAfterAccess(forgetAfter)
                .build();
        this.summaryAt = clock.millis();
    }

    /**
     * Opens an uncached check of this token for the client: a token from its bucket (none for a
     * token found valid lately) and a place among the lookups in flight.
     *
     * @throws MatrixException 429 M_LIMIT_EXCEEDED with {@code retry_after_ms} when either is refused
     */
    public Check open(String clientIp, String token) {
        RecentlyValidTokens.Digest digest = RecentlyValidTokens.digest(token);
        Bucket bucket = null;
        if (!recentlyValid.contains(digest)) {
            Cache<String, Bucket> kind = TokenChecksums.fit(token) ? checksummedBuckets : buckets;
            bucket = kind.get(AddressGroups.of(clientIp), group -> newBucket());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                throw refuse("rate", Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000));
            }
        }
        if (!placeAmongLookups()) {
            if (bucket != null) {
                bucket.addTokens(1); // not a failed check: none was made
            }
            throw refuse("busy", BUSY_RETRY_AFTER_MS);
        }
        return new Check(bucket, digest);
    }

    private boolean placeAmongLookups() {
        try {
            return lookups.tryAcquire(LOOKUP_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Bucket newBucket() {
        long refillNanos = (long) (1_000_000_000L / config.perSecond());
        return Bucket.builder()
                .withCustomTimePrecision(refillTime)
                .addLimit(Bandwidth.builder().capacity(config.burstCount())
                        .refillGreedy(1, Duration.ofNanos(Math.max(1, refillNanos))).build())
                .build();
    }

    private MatrixException refuse(String reason, long retryAfterMs) {
        refused.labelValues(reason).inc();
        refusedSinceSummary.incrementAndGet();
        summarise();
        return reason.equals("busy") ? BUSY : new MatrixException(429, Errcode.M_LIMIT_EXCEEDED, REFUSED_ERROR,
                Map.of("retry_after_ms", retryAfterMs));
    }

    /**
     * Whether the limit refused the check because the lookups in flight were all taken (FLOOD-3),
     * not because of the address's failed checks: a kind whose places are held by a server that does
     * not answer says so instead (OAU-2's 503).
     */
    public static boolean isBusy(MatrixException refusal) {
        return refusal == BUSY;
    }

    /** FLOOD-4: one line a minute at most, however many requests are refused. */
    private void summarise() {
        long now = clock.millis();
        long last = summaryAt;
        if (now - last >= SUMMARY_INTERVAL_MS && summaryAtSet(last, now)) {
            LOG.warn("{} request(s) with unchecked tokens refused in the last {} s (rc_failed_token_checks); {} address group(s) tracked",
                    refusedSinceSummary.getAndSet(0), (now - last) / 1000, buckets.estimatedSize());
        }
    }

    private synchronized boolean summaryAtSet(long expected, long now) {
        if (summaryAt != expected) {
            return false;
        }
        summaryAt = now;
        return true;
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        registry.register(refused);
        GaugeWithCallback.builder()
                .name("matrix_auth_failed_token_checks_address_groups")
                .help("Client address groups whose failed token checks are being counted")
                .callback(callback -> callback.call(buckets.estimatedSize()))
                .register(registry);
    }

    /**
     * One uncached token check: {@link #succeeded()} when the token was valid, {@link #notCounted()}
     * when the check could not tell (the server's own failure), {@link #close()} in any case; closed
     * with neither, the token was refused.
     */
    public final class Check implements AutoCloseable {
        private final Bucket bucket;
        private final RecentlyValidTokens.Digest digest;
        private boolean open = true;
        private boolean refused = true;

        private Check(Bucket bucket, RecentlyValidTokens.Digest digest) {
            this.bucket = bucket;
            this.digest = digest;
        }

        /** The token was valid: its check was no failure, costs the client nothing, and its next one neither. */
        public void succeeded() {
            notCounted();
            recentlyValid.remember(digest);
        }

        /** Not a failed check, and no sign that the token is valid either. */
        public void notCounted() {
            if (refused && bucket != null) {
                bucket.addTokens(1);
            }
            refused = false;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                lookups.release();
                if (refused) {
                    recentlyValid.forget(digest); // revoked since: its next check is charged again
                }
            }
        }
    }
}
