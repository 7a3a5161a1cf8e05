package org.matrixauth.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import org.matrixauth.auth.TokenAuthenticator;
import org.matrixauth.cache.AuthCaches;
import org.matrixauth.config.DelegationConfig;
import org.matrixauth.metrics.MetricsSource;
import org.matrixauth.store.DeviceStore;
import org.matrixauth.store.UserStore;

/**
 * OAuth 2.0 delegated authentication wired from its configuration (SPEC section 12): one HTTP
 * client for the authorization server, the introspection cache (registered with the other caches
 * so that changes evict it), the token authenticator and the public view of the server.
 */
public final class Delegation implements MetricsSource {
    private final OAuthTokenAuthenticator authenticator;
    private final AuthorizationServer server;
    private final IntrospectionCache introspections;
    private final IntrospectionMetrics metrics = new IntrospectionMetrics();
    private final Reachability reachability = new Reachability();

    public Delegation(DelegationConfig config, String serverName, UserStore users, DeviceStore devices, AuthCaches caches,
                      long maximumEntries, Clock clock) {
        HttpClient http = HttpClient.newBuilder()
                .version(config.forceHttp2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        IntrospectionClient client = new IntrospectionClient(http, config, clock, metrics, reachability);
        this.introspections = new IntrospectionCache(client, config.introspectionCacheLifetime(),
                config.requestTimeout().plusSeconds(1), maximumEntries, serverName, clock);
        caches.register(introspections);
        this.authenticator = new OAuthTokenAuthenticator(introspections, reachability, users, devices, serverName,
                config.secret(), clock);
        this.server = new AuthorizationServer(new ServerMetadata(http, config), authenticator);
    }

    public TokenAuthenticator authenticator() {
        return authenticator;
    }

    public AuthorizationServer server() {
        return server;
    }

    /** OBS-5: why tokens cannot be introspected now, or null while the authorization server answers. */
    public String problem() {
        return reachability.problem();
    }

    /** The introspection cache, for the cache metrics. */
    public Cache<?, ?> cache() {
        return introspections.statistics();
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        metrics.registerIn(registry);
    }
}
