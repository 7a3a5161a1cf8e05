package org.matrixauth.auth;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.matrixauth.error.Failures;
import org.matrixauth.error.MatrixException;
import org.matrixauth.health.DatabaseAvailability;
import org.matrixauth.metrics.MetricsSource;
import org.matrixauth.net.ClientIpResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Authentication} over the resolver, each answer counted by outcome ({@code matrix_auth_requests}). */
public final class CountedAuthentication implements Authentication, MetricsSource {
    /** The outcome label of a request that was let through. */
    static final String AUTHENTICATED = "authenticated";
    /** The outcome label of a request the authorization server made with the shared secret (OAU-10). */
    static final String AUTHORIZATION_SERVER = "authorization_server";
    private static final Logger LOG = LoggerFactory.getLogger(CountedAuthentication.class);

    private final RequesterResolver resolver;
    private final ClientIpResolver clientIps;
    private final Predicate<String> authorizationServerSecret;
    /**
     * Requests by outcome, counted on every request: a lookup in a concurrent map and a
     * {@link LongAdder} increment take no lock and allocate nothing once an outcome has been seen
     * (a Prometheus {@code Counter}'s {@code labelValues(outcome)} allocates on each call), and the
     * adder's cells keep concurrent requests off one contended field. The map holds one entry per
     * outcome: a handful of errcodes, never a request's input.
     */
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    /**
     * @param authorizationServerSecret whether a token is the authorization server's shared secret
     *     (OAU-10); null without delegation
     */
    public CountedAuthentication(RequesterResolver resolver, ClientIpResolver clientIps,
                                 Predicate<String> authorizationServerSecret) {
        this.resolver = resolver;
        this.clientIps = clientIps;
        this.authorizationServerSecret = authorizationServerSecret;
    }

    @Override
    public Requester authenticate(ClientRequest request, AuthOptions options) {
        try {
            Requester requester = resolver.resolve(request, options);
            count(AUTHENTICATED);
            return requester;
        } catch (MatrixException e) {
            throw counted(e);
        } catch (RuntimeException e) {
            if (DatabaseAvailability.isConnectivityFailure(e)) {
                throw counted(DatabaseAvailability.unavailable()); // OBS-5; DatabaseAvailability logs the outage once
            }
            LOG.error("Authentication failed inside the server: {}", Failures.describe(e));
            throw counted(MatrixException.internal());
        }
    }

    @Override
    public boolean hasAccessToken(ClientRequest request) {
        return resolver.hasAccessToken(request);
    }

    @Override
    public void requireAuthorizationServer(ClientRequest request) {
        if (authorizationServerSecret == null) {
            throw counted(MatrixException.unrecognized(404));
        }
        String token;
        try {
            token = resolver.extractToken(request);
        } catch (MatrixException missingOrMalformed) {
            token = null;
        }
        if (!authorizationServerSecret.test(token)) {
            throw counted(MatrixException.forbidden("This endpoint must only be called by MAS"));
        }
        count(AUTHORIZATION_SERVER);
    }

    @Override
    public void requireUndelegated() {
        if (authorizationServerSecret != null) {
            throw counted(MatrixException.unrecognized(404));
        }
    }

    @Override
    public String clientIp(String peerAddress, List<String> forwardedFor) {
        return clientIps.clientIp(peerAddress, forwardedFor);
    }

    @Override
    public boolean trustsForwardedFor(String peerAddress) {
        return clientIps.trustsForwardedFor(peerAddress);
    }

    private MatrixException counted(MatrixException refusal) {
        count(refusal.errcode());
        return refusal;
    }

    private void count(String outcome) {
        LongAdder count = outcomes.get(outcome); // first: a hit never enters computeIfAbsent
        if (count == null) {
            count = outcomes.computeIfAbsent(outcome, first -> new LongAdder());
        }
        count.increment();
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("matrix_auth_requests")
                .help("Requests the filter authenticated, by outcome: 'authenticated' or the Matrix errcode")
                .labelNames("outcome")
                .callback(callback -> outcomes.forEach((outcome, count) -> callback.call(count.sum(), outcome)))
                .register(registry);
    }
}
