package org.matrixauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.account.Threepid;

/** SPEC section 9, as a table: every supported key read from homeserver.yaml, every bad value named. */
class ConfigKeysTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static AuthConfig read(String yaml) throws IOException {
        JsonNode tree = YAML.readTree("server_name: example.org\n" + yaml);
        return AuthConfig.fromTree(tree);
    }

    private static Arguments key(String yaml, Function<AuthConfig, Object> read, Object expected) {
        return Arguments.of(yaml, read, expected);
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                key("", AuthConfig::serverName, "example.org"),
                key("macaroon_secret_key: s3cret", AuthConfig::macaroonSecretKey, "s3cret"),
                key("allow_access_token_query: false", AuthConfig::allowAccessTokenQuery, false),
                key("experimental_features: {msc3202_device_masquerading: true}", AuthConfig::msc3202DeviceMasquerading, true),
                key("account_validity: {enabled: true, period: 6w}", AuthConfig::accountValidityEnabled, true),
                key("app_service_config_files: [/a.yaml, /b.yaml]", AuthConfig::appServiceConfigFiles,
                        List.of(Path.of("/a.yaml"), Path.of("/b.yaml"))),
                key("track_puppeted_user_ips: true", c -> c.tracking().trackPuppetedUserIps(), true),
                key("track_appservice_user_ips: true", c -> c.tracking().trackAppserviceUserIps(), true),
                key("trusted_proxies: ['10.0.0.0/8', 'fd00::/8']", c -> c.tracking().trustedProxies().contains("10.1.1.1")
                        && c.tracking().trustedProxies().contains("fd00::1") && !c.tracking().trustedProxies().contains("11.0.0.1"), true),
                key("user_ips_max_age: 14d", c -> c.tracking().userIpsMaxAgeMs(), 14 * 86_400_000L),
                key("user_ips_max_age: 3600000", c -> c.tracking().userIpsMaxAgeMs(), 3_600_000L),
                key("user_ips_max_age: 2w", c -> c.tracking().userIpsMaxAgeMs(), 14 * 86_400_000L),
                key("", c -> c.tracking().userIpsMaxAgeMs(), 28 * 86_400_000L),
                key("user_ips_max_age: '90000'", c -> c.tracking().userIpsMaxAgeMs(), 90_000L),
                key("auth_cache: {max_tokens: 5000, max_users: 700}", c -> List.of(c.caches().maxTokens(), c.caches().maxUsers()),
                        List.of(5000L, 700L)),
                key("auth_cache: {lifetime: 1h, lifetime_without_notifications: 250}",
                        c -> List.of(c.caches().lifetime(), c.caches().lifetimeWithoutNotifications()),
                        List.of(java.time.Duration.ofHours(1), java.time.Duration.ofMillis(250))),
                key("", c -> List.of(c.caches().lifetime(), c.caches().lifetimeWithoutNotifications()),
                        List.of(java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(1))),
                key("auth_cache: {notify_synapse_database: true}", c -> c.caches().notifySynapseDatabase(), true),
                key("auth_cache: {max_mau_users: 50}", c -> c.caches().maxMauUsers(), 50L),
                key("", c -> c.caches().maxMauUsers(), 100_000L),
                key("auth_cache: {lifetime_during_outage: 5m}", c -> c.caches().lifetimeDuringOutage(),
                        java.time.Duration.ofMinutes(5)),
                key("", c -> c.caches().lifetimeDuringOutage(), java.time.Duration.ZERO),
                key("auth_cache: {listen_url: 'jdbc:postgresql://db.internal/synapse?user=listener'}",
                        c -> c.caches().listenUrl(), "jdbc:postgresql://db.internal/synapse?user=listener"),
                key("", c -> c.caches().listenUrl(), null),
                key("auth_cache: {listen_url: 'jdbc:postgresql://db/s?user=l&password=hunter2'}",
                        c -> c.caches().toString().contains("hunter2"), false),
                key("client_ip_queue_limit: 500", c -> c.tracking().clientIpQueueLimit(), 500),
                // FLOOD: this project's rc_failed_token_checks.
                key("", c -> List.of(c.failedTokenChecks().perSecond(), c.failedTokenChecks().burstCount(),
                        c.failedTokenChecks().maxConcurrentLookups()), List.of(5.0, 50, 5)),
                key("rc_failed_token_checks: {per_second: 0.5, burst_count: 3, max_concurrent_lookups: 2}",
                        c -> List.of(c.failedTokenChecks().perSecond(), c.failedTokenChecks().burstCount(),
                                c.failedTokenChecks().maxConcurrentLookups()), List.of(0.5, 3, 2)),
                key("database: {name: psycopg2, args: {user: s, database: d, cp_max: 20}}",
                        c -> c.failedTokenChecks().maxConcurrentLookups(), 10),
                // OAU-1: Synapse's matrix_authentication_service, and this project's keys in it.
                key("", c -> List.of(c.delegation().enabled(), c.delegation().endpoint().toString(),
                        c.delegation().introspectionCacheLifetime()),
                        List.of(false, "http://localhost:8080/", java.time.Duration.ofMinutes(2))),
                key("matrix_authentication_service: {enabled: true, secret: s3cret}",
                        c -> List.of(c.delegation().enabled(), c.delegation().secret(),
                                c.delegation().introspectionEndpoint().toString()),
                        List.of(true, "s3cret", "http://localhost:8080/oauth2/introspect")),
                key("matrix_authentication_service: {enabled: true, endpoint: 'http://mas:8081', secret: s,"
                                + " force_http2: true, introspection_cache_lifetime: 30s, connect_timeout: 500,"
                                + " request_timeout: 3s, max_concurrent_introspections: 8}",
                        c -> List.of(c.delegation().introspectionEndpoint().toString(), c.delegation().metadataEndpoint().toString(),
                                c.delegation().forceHttp2(), c.delegation().introspectionCacheLifetime(),
                                c.delegation().connectTimeout(), c.delegation().requestTimeout(),
                                c.delegation().maxConcurrentIntrospections()),
                        List.of("http://mas:8081/oauth2/introspect", "http://mas:8081/.well-known/openid-configuration", true,
                                java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(500),
                                java.time.Duration.ofSeconds(3), 8)),
                key("limit_usage_by_mau: true", c -> c.mau().limitUsageByMau(), true),
                key("max_mau_value: 250", c -> c.mau().maxMauValue(), 250),
                key("mau_stats_only: true", c -> c.mau().mauStatsOnly(), true),
                key("mau_trial_days: 2", c -> c.mau().mauTrialDays(), 2),
                key("mau_appservice_trial_days: {irc: 0, slack: 4}", c -> c.mau().appserviceTrialDays(),
                        Map.of("irc", 0, "slack", 4)),
                key("mau_appservice_trial_days: {irc: '7'}", c -> c.mau().appserviceTrialDays(), Map.of("irc", 7)),
                key("mau_limit_reserved_threepids: [{medium: email, address: a@b.org}]",
                        c -> c.mau().reservedThreepids(), List.of(new Threepid("email", "a@b.org"))),
                key("hs_disabled: true", c -> c.blocking().hsDisabled(), true),
                key("hs_disabled_message: Gone fishing", c -> c.blocking().hsDisabledMessage(), "Gone fishing"),
                key("admin_contact: 'mailto:ops@example.org'", c -> c.blocking().adminContact(), "mailto:ops@example.org"),
                key("server_notices: {system_mxid_localpart: notices}", c -> c.blocking().serverNoticesMxid(),
                        "@notices:example.org"),
                key("", c -> c.blocking().serverNoticesMxid(), null),
                // RFT: Synapse's lifetimes, refresh tokens on for 5 minutes unless switched off with null.
                key("", c -> c.tokenLifetimes(), new TokenLifetimesConfig(300_000L, null, null, null)),
                key("refreshable_access_token_lifetime: null", c -> c.tokenLifetimes().refreshTokensEnabled(), false),
                key("""
                        refreshable_access_token_lifetime: 10m
                        refresh_token_lifetime: 1d
                        nonrefreshable_access_token_lifetime: 1h
                        session_lifetime: 1w
                        """, c -> c.tokenLifetimes(), new TokenLifetimesConfig(600_000L, 86_400_000L, 3_600_000L, 604_800_000L)),
                // A login without a refresh token: nonrefreshable_access_token_lifetime, never beyond the session.
                key("nonrefreshable_access_token_lifetime: 1h", c -> c.tokenLifetimes().nonrefreshableValidUntilMs(1_000),
                        3_601_000L),
                key("nonrefreshable_access_token_lifetime: 1m\nsession_lifetime: 1h",
                        c -> c.tokenLifetimes().nonrefreshableValidUntilMs(1_000), 61_000L),
                key("session_lifetime: 1m", c -> c.tokenLifetimes().nonrefreshableValidUntilMs(1_000), 61_000L),
                key("", c -> c.tokenLifetimes().nonrefreshableValidUntilMs(1_000), null),
                // Synapse compares refreshable_access_token_lifetime with the session only when it is set.
                key("session_lifetime: 1m", c -> c.tokenLifetimes().sessionLifetimeMs(), 60_000L),
                key("", c -> c.database().jdbcUrl(), DatabaseConfig.DEFAULT_URL),
                key("database: 'jdbc:postgresql://db:5432/synapse?user=synapse'", c -> c.database().jdbcUrl(),
                        "jdbc:postgresql://db:5432/synapse?user=synapse"),
                key("database: 'java:comp/env/jdbc/synapse'", c -> c.database().jndiName(), "java:comp/env/jdbc/synapse"),
                key("""
                        database:
                          name: psycopg2
                          args: {user: synapse_user, password: secretpassword, database: synapse, host: db.internal,
                                 port: 6432, cp_min: 2, cp_max: 20, sslmode: require, keepalives_idle: 10,
                                 options: '-c statement_timeout=30s'}
                        """, c -> List.of(c.database().jdbcUrl(), c.database().user(), c.database().password(),
                                c.database().minIdle(), c.database().maxPoolSize()),
                        List.of("jdbc:postgresql://db.internal:6432/synapse?sslmode=require&options=-c+statement_timeout%3D30s",
                                "synapse_user", "secretpassword", 2, 20)),
                key("database: {name: psycopg2, args: {user: synapse, dbname: matrix}}",
                        c -> List.of(c.database().jdbcUrl(), c.database().minIdle(), c.database().maxPoolSize()),
                        List.of("jdbc:postgresql://localhost:5432/matrix", 5, 10)),
                key("database: {name: psycopg2, args: {user: synapse}}", c -> c.database().jdbcUrl(),
                        "jdbc:postgresql://localhost:5432/synapse"),
                // Encoded as pgjdbc decodes them: no value adds an option (see PostgresUrlTest).
                key("database: {name: psycopg2, args: {user: s, database: 'a&b', sslmode: 'require&sslmode=disable',"
                                + " application_name: 'x=1 2%'}}", c -> c.database().jdbcUrl(),
                        "jdbc:postgresql://localhost:5432/a%26b?sslmode=require%26sslmode%3Ddisable&ApplicationName=x%3D1+2%25"));
    }

    @ParameterizedTest(name = "reads {0}")
    @MethodSource("keys")
    void everySupportedKeyIsRead(String yaml, Function<AuthConfig, Object> read, Object expected) throws IOException {
        assertEquals(expected, read.apply(read(yaml)));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("server_name: ''", "server_name"),
                Arguments.of("allow_access_token_query: perhaps", "allow_access_token_query"),
                Arguments.of("experimental_features: {msc3202_device_masquerading: 3}", "experimental_features.msc3202_device_masquerading"),
                Arguments.of("account_validity: {enabled: sure}", "account_validity.enabled"),
                Arguments.of("app_service_config_files: {a: b}", "app_service_config_files"),
                Arguments.of("track_puppeted_user_ips: 1.5", "track_puppeted_user_ips"),
                Arguments.of("track_appservice_user_ips: yes please", "track_appservice_user_ips"),
                Arguments.of("trusted_proxies: ['10.0.0.0/99']", "trusted_proxies"),
                Arguments.of("user_ips_max_age: 4 fortnights", "user_ips_max_age"),
                Arguments.of("user_ips_max_age: -5", "user_ips_max_age"),
                // Found by ConfigLoaderFuzzTest: numbers beyond a long threw NumberFormatException or wrapped.
                Arguments.of("user_ips_max_age: 200000000000000000000000000008", "user_ips_max_age"),
                Arguments.of("user_ips_max_age: '9223372036854775807d'", "user_ips_max_age"),
                Arguments.of("max_mau_value: 18446744073709551617", "max_mau_value"),
                Arguments.of("mau_appservice_trial_days: {irc: 3000000000}", "mau_appservice_trial_days.irc"),
                Arguments.of("client_ip_queue_limit: 0", "client_ip_queue_limit"),
                Arguments.of("auth_cache: {max_tokens: many}", "auth_cache.max_tokens"),
                Arguments.of("auth_cache: {max_users: -1}", "auth_cache.max_users"),
                Arguments.of("auth_cache: {lifetime: forever}", "auth_cache.lifetime"),
                Arguments.of("auth_cache: {lifetime_without_notifications: soon}", "auth_cache.lifetime_without_notifications"),
                Arguments.of("auth_cache: {lifetime: 1s, lifetime_without_notifications: 5s}", "auth_cache.lifetime"),
                Arguments.of("auth_cache: {notify_synapse_database: please}", "auth_cache.notify_synapse_database"),
                Arguments.of("auth_cache: {max_token: 5000}", "auth_cache.max_token"),
                Arguments.of("auth_cache: {max_mau_users: -1}", "auth_cache.max_mau_users"),
                Arguments.of("auth_cache: {lifetime_during_outage: a while}", "auth_cache.lifetime_during_outage"),
                Arguments.of("auth_cache: {listen_url: 'jdbc:h2:mem:listen'}", "auth_cache.listen_url"),
                Arguments.of("auth_cache: 5000", "auth_cache"),
                Arguments.of("matrix_authentication_service: {enabled: true}", "matrix_authentication_service.secret"),
                Arguments.of("matrix_authentication_service: {enabled: true, secret: a, secret_path: /a}",
                        "matrix_authentication_service.secret"),
                Arguments.of("matrix_authentication_service: {enabled: true, secret_path: /no/such/secret}",
                        "matrix_authentication_service.secret_path"),
                Arguments.of("matrix_authentication_service: {enabled: true, secret: ' '}", "matrix_authentication_service.secret"),
                Arguments.of("matrix_authentication_service: {enabled: sometimes}", "matrix_authentication_service.enabled"),
                Arguments.of("matrix_authentication_service: {endpoint: 'ftp://mas'}", "matrix_authentication_service.endpoint"),
                Arguments.of("matrix_authentication_service: {endpoint: 'not a url'}", "matrix_authentication_service.endpoint"),
                Arguments.of("matrix_authentication_service: {request_timeout: 0}", "matrix_authentication_service.request_timeout"),
                Arguments.of("matrix_authentication_service: {connect_timeout: soon}", "matrix_authentication_service.connect_timeout"),
                Arguments.of("matrix_authentication_service: {max_concurrent_introspections: 0}",
                        "matrix_authentication_service.max_concurrent_introspections"),
                Arguments.of("matrix_authentication_service: {introspection_cache_lifetme: 1m}",
                        "matrix_authentication_service.introspection_cache_lifetme"),
                Arguments.of("rc_failed_token_checks: {per_second: 0}", "rc_failed_token_checks.per_second"),
                Arguments.of("rc_failed_token_checks: {per_second: fast}", "rc_failed_token_checks.per_second"),
                Arguments.of("rc_failed_token_checks: {burst_count: 0}", "rc_failed_token_checks.burst_count"),
                Arguments.of("rc_failed_token_checks: {max_concurrent_lookups: -1}", "rc_failed_token_checks.max_concurrent_lookups"),
                Arguments.of("rc_failed_token_checks: {burst: 5}", "rc_failed_token_checks.burst"),
                Arguments.of("refreshable_access_token_lifetime: soon", "refreshable_access_token_lifetime"),
                Arguments.of("refresh_token_lifetime: [1m]", "refresh_token_lifetime"),
                Arguments.of("nonrefreshable_access_token_lifetime: -1", "nonrefreshable_access_token_lifetime"),
                Arguments.of("session_lifetime: forever", "session_lifetime"),
                Arguments.of("session_lifetime: 1m\nrefreshable_access_token_lifetime: 2m", "refreshable_access_token_lifetime"),
                Arguments.of("session_lifetime: 1h\nrefresh_token_lifetime: 2h", "refresh_token_lifetime"),
                Arguments.of("session_lifetime: 1h\nnonrefreshable_access_token_lifetime: 1d",
                        "nonrefreshable_access_token_lifetime"),
                Arguments.of("limit_usage_by_mau: 2", "limit_usage_by_mau"),
                Arguments.of("max_mau_value: lots", "max_mau_value"),
                Arguments.of("max_mau_value: -1", "max_mau_value"),
                Arguments.of("mau_stats_only: []", "mau_stats_only"),
                Arguments.of("mau_trial_days: 1.5", "mau_trial_days"),
                Arguments.of("mau_appservice_trial_days: [irc]", "mau_appservice_trial_days"),
                Arguments.of("mau_appservice_trial_days: {irc: soon}", "mau_appservice_trial_days.irc"),
                Arguments.of("mau_appservice_trial_days: {irc: '-1'}", "mau_appservice_trial_days.irc"),
                Arguments.of("mau_limit_reserved_threepids: [{medium: email}]", "mau_limit_reserved_threepids[0]"),
                Arguments.of("mau_limit_reserved_threepids: email", "mau_limit_reserved_threepids"),
                Arguments.of("hs_disabled: maybe", "hs_disabled"),
                Arguments.of("hs_disabled_message: [a, b]", "hs_disabled_message"),
                Arguments.of("admin_contact: {mail: x}", "admin_contact"),
                Arguments.of("server_notices: {system_mxid_localpart: [x]}", "server_notices.system_mxid_localpart"),
                Arguments.of("database: postgres://db/synapse", "database"),
                Arguments.of("database: [a]", "database"),
                Arguments.of("database: {args: {}}", "database.name"),
                Arguments.of("database: {name: sqlite3, args: {database: homeserver.db}}", "database.name"),
                Arguments.of("database: {name: mysql}", "database.name"),
                Arguments.of("database: {name: psycopg2, args: [x]}", "database.args"),
                Arguments.of("database: {name: psycopg2, args: {user: s, port: 70000}}", "database.args.port"),
                Arguments.of("database: {name: psycopg2, args: {user: s, cp_max: none}}", "database.args.cp_max"),
                Arguments.of("database: {name: psycopg2, args: {user: s, cp_min: 20, cp_max: 10}}", "database.args.cp_min"),
                Arguments.of("database: {name: psycopg2, args: {host: db}}", "database.args.database"),
                Arguments.of("database: {name: psycopg2, args: {user: s, host: 'db/x?sslmode=disable'}}", "database.args.host"),
                Arguments.of("database: {name: psycopg2, args: {user: s, host: /var/run/postgresql}}", "database.args.host"));
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("badValues")
    void everyBadValueNamesItsKey(String yaml, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(yaml));
        assertTrue(e.getMessage().startsWith("configuration key '" + key + "' "), e.getMessage());
    }
}
