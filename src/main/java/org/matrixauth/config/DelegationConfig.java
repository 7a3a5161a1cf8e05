package org.matrixauth.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.matrixauth.api.PublicApi;

/**
 * OAuth 2.0 delegated authentication (SPEC OAU-1): Synapse's {@code matrix_authentication_service}
 * section, and this project's additions to it (the cache lifetime, the HTTP timeouts and the bound
 * on concurrent introspections).
 *
 * @param endpoint the authorization server (MAS) as the homeserver reaches it
 * @param secret the shared secret the homeserver and the server authenticate each other with
 * @param forceHttp2 {@code force_http2}: speak HTTP/2 (h2c on {@code http:}) to it
 * @param introspectionCacheLifetime OAU-8: how long an answer is kept (never past the token's expiry)
 * @param connectTimeout how long connecting to the server may take
 * @param requestTimeout how long one introspection may take, answer included
 * @param maxConcurrentIntrospections introspections in flight at once; beyond them a request with
 *     an uncached token is answered 503 at once rather than waiting
 */
@PublicApi
public record DelegationConfig(boolean enabled, URI endpoint, String secret, boolean forceHttp2,
                               Duration introspectionCacheLifetime, Duration connectTimeout, Duration requestTimeout,
                               int maxConcurrentIntrospections) {
    static final String SECTION = "matrix_authentication_service";
    /** Synapse's default. */
    static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:8080/");
    /** Synapse keeps answers two minutes. */
    static final long DEFAULT_CACHE_LIFETIME_MS = 120_000;
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
    static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
    static final int DEFAULT_MAX_CONCURRENT = 64;

    public static final DelegationConfig OFF = new DelegationConfig(false, DEFAULT_ENDPOINT, null, false,
            Duration.ofMillis(DEFAULT_CACHE_LIFETIME_MS), Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS),
            Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MS), DEFAULT_MAX_CONCURRENT);

    static DelegationConfig read(Settings reader) {
        reader.ownSection(SECTION);
        boolean enabled = reader.bool(key("enabled"), false);
        URI endpoint = endpoint(reader);
        boolean forceHttp2 = reader.bool(key("force_http2"), false);
        String secret = secret(reader, enabled);
        Duration cacheLifetime = Duration.ofMillis(reader.durationMs(key("introspection_cache_lifetime"),
                DEFAULT_CACHE_LIFETIME_MS));
        Duration connectTimeout = positive(reader, "connect_timeout", DEFAULT_CONNECT_TIMEOUT_MS);
        Duration requestTimeout = positive(reader, "request_timeout", DEFAULT_REQUEST_TIMEOUT_MS);
        int maxConcurrent = reader.integer(key("max_concurrent_introspections"), DEFAULT_MAX_CONCURRENT, 1, 100_000);
        return new DelegationConfig(enabled, endpoint, secret, forceHttp2, cacheLifetime, connectTimeout, requestTimeout,
                maxConcurrent);
    }

    private static String key(String name) {
        return SECTION + "." + name;
    }

    private static URI endpoint(Settings reader) {
        String text = reader.string(key("endpoint"), DEFAULT_ENDPOINT.toString());
        try {
            URI uri = new URI(text.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw Settings.bad(key("endpoint"), "must be an http:// or https:// URL, not '" + text + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw Settings.bad(key("endpoint"), "must be an http:// or https:// URL, not '" + text + "'");
        }
    }

    /** OAU-1: with delegation on, exactly one of {@code secret} and {@code secret_path}. */
    private static String secret(Settings reader, boolean enabled) {
        String inline = reader.string(key("secret"), null);
        String path = reader.string(key("secret_path"), null);
        if (!enabled) {
            return null;
        }
        if (inline != null && path != null) {
            throw Settings.bad(key("secret"), "and " + key("secret_path") + " cannot be set at the same time");
        }
        if (inline == null && path == null) {
            throw Settings.bad(key("secret"), "or " + key("secret_path") + " is required when "
                    + key("enabled") + " is true");
        }
        String secret = inline != null ? inline : readSecretFile(path);
        if (secret.isBlank()) {
            throw Settings.bad(inline != null ? key("secret") : key("secret_path"), "must not be empty");
        }
        return secret;
    }

    /** As Synapse reads {@code secret_path}: the file's text without surrounding whitespace. */
    private static String readSecretFile(String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException | RuntimeException e) {
            throw Settings.bad(key("secret_path"), "cannot be read: " + path);
        }
    }

    private static Duration positive(Settings reader, String name, long fallbackMs) {
        long ms = reader.durationMs(key(name), fallbackMs);
        if (ms <= 0) {
            throw Settings.bad(key(name), "must be longer than 0");
        }
        return Duration.ofMillis(ms);
    }

    /** The introspection endpoint (OAU-2), as Synapse forms it. */
    public URI introspectionEndpoint() {
        return resolve("oauth2/introspect");
    }

    /** The server's metadata (OAU-9). */
    public URI metadataEndpoint() {
        return resolve(".well-known/openid-configuration");
    }

    private URI resolve(String path) {
        String base = endpoint.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + path);
    }

    @Override
    public String toString() {
        return "DelegationConfig[enabled=" + enabled + ", endpoint=" + endpoint + "]"; // never the secret
    }
}
