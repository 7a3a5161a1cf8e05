package org.matrixauth.config;

import java.util.List;
import org.matrixauth.net.IpRanges;
import org.matrixauth.api.PublicApi;

/**
 * What is recorded of each request (SPEC section 5).
 *
 * @param trackPuppetedUserIps {@code track_puppeted_user_ips} (TRK-1)
 * @param trackAppserviceUserIps {@code track_appservice_user_ips} (AS-7, BLK-2)
 * @param userIpsMaxAgeMs {@code user_ips_max_age} (TRK-7)
 * @param trustedProxies {@code trusted_proxies}: peers whose {@code X-Forwarded-For} is believed (TRK-2)
 * @param clientIpQueueLimit {@code client_ip_queue_limit}: client-IP rows kept in memory at most (TRK-5)
 */
@PublicApi
public record TrackingConfig(
        boolean trackPuppetedUserIps,
        boolean trackAppserviceUserIps,
        long userIpsMaxAgeMs,
        IpRanges trustedProxies,
        int clientIpQueueLimit) {

    static final long DEFAULT_USER_IPS_MAX_AGE_MS = 28 * 86_400_000L;
    static final int DEFAULT_QUEUE_LIMIT = 100_000;

    static TrackingConfig read(Settings reader) {
        List<String> proxies = reader.stringList("trusted_proxies");
        IpRanges trustedProxies;
        try {
            trustedProxies = IpRanges.parse(proxies);
        } catch (IllegalArgumentException e) {
            throw Settings.bad("trusted_proxies", e.getMessage());
        }
        return new TrackingConfig(
                reader.bool("track_puppeted_user_ips", false),
                reader.bool("track_appservice_user_ips", false),
                reader.durationMs("user_ips_max_age", DEFAULT_USER_IPS_MAX_AGE_MS),
                trustedProxies,
                reader.integer("client_ip_queue_limit", DEFAULT_QUEUE_LIMIT, 1, 100_000_000));
    }
}
