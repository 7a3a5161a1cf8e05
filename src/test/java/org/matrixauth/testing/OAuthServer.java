package org.matrixauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenClaimsContext;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A real OAuth 2.0 authorization server for the tests: Spring Authorization Server on embedded
 * Tomcat, on a free loopback port, set up the way MAS answers a homeserver. It issues opaque
 * (reference) access tokens in MAS's shape through its own client-credentials grant, each for a client registered
 * on the fly whose settings name the Matrix user ({@code username}) and, when given, the device
 * ({@code device_id}); introspection authenticates the homeserver by the shared secret as a bearer
 * token, as MAS does, and answers MAS's fields ({@code scope} space-separated, {@code username},
 * {@code device_id}, {@code expires_in}); its OpenID metadata carries {@code account_management_uri}.
 *
 * <p>{@link #fault(Fault)} puts a fault in front of the introspection endpoint (slow, 500, not
 * JSON, 2 MiB), for the failure tests; {@link #close()} stops it.
 */
public final class OAuthServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    /** The client that stands for the homeserver when it introspects. */
    static final String HOMESERVER_CLIENT = "homeserver";
    static final ClientAuthenticationMethod SHARED_SECRET = new ClientAuthenticationMethod("mas_shared_secret");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the introspection endpoint does instead of answering. */
    public enum Fault { NONE, SLOW, STATUS_500, NOT_JSON, HUGE }

    private final State state;
    private ConfigurableApplicationContext context;
    private URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    private OAuthServer(String sharedSecret) {
        this.state = new State(sharedSecret);
    }

    /** Starts a server that accepts this shared secret from the homeserver. */
    public static OAuthServer start(String sharedSecret) {
        OAuthServer server = new OAuthServer(sharedSecret);
        server.run();
        return server;
    }

    /**
     * A server for a whole test class, as a static {@code @RegisterExtension} field: started
     * before the class's tests, stopped after them.
     */
    public static OAuthServer forTestClass(String sharedSecret) {
        return new OAuthServer(sharedSecret);
    }

    @Override
    public void beforeAll(ExtensionContext unused) {
        run();
    }

    @Override
    public void afterAll(ExtensionContext unused) {
        close();
    }

    private void run() {
        context = new SpringApplicationBuilder(Config.class)
                .web(WebApplicationType.SERVLET)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("oauthServerState", state))
                .properties(Map.of(
                        "server.port", "0",
                        "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off",
                        "logging.level.root", "WARN",
                        "spring.main.register-shutdown-hook", "false"))
                .run();
        endpoint = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/");
    }

    /** The server as a homeserver's {@code matrix_authentication_service.endpoint}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * A new access token, through the server's own client-credentials grant.
     *
     * @param username the Matrix localpart MAS would name
     * @param deviceId the explicit {@code device_id} claim, or null to leave it to the scopes
     */
    public String issue(String username, String deviceId, Duration lifetime, String... scopes) {
        String clientId = "client-" + UUID.randomUUID();
        String clientSecret = UUID.randomUUID().toString();
        RegisteredClient.Builder client = RegisteredClient.withId(clientId)
                .clientId(clientId)
                .clientSecret("{noop}" + clientSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientSettings.builder()
                        .setting("username", username == null ? "" : username)
                        .setting("device_id", deviceId == null ? "" : deviceId)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.REFERENCE)
                        .accessTokenTimeToLive(lifetime)
                        .build());
        for (String scope : scopes) {
            client.scope(scope);
        }
        state.clients.save(client.build());
        String credentials = basic(clientId, clientSecret);
        JsonNode token = post("oauth2/token", credentials,
                "grant_type=client_credentials&scope=" + URLEncoder.encode(String.join(" ", scopes), StandardCharsets.UTF_8));
        String accessToken = token.path("access_token").asText(null);
        if (accessToken == null) {
            throw new IllegalStateException("the server issued no token: " + token);
        }
        state.credentialsByToken.put(accessToken, credentials);
        return accessToken;
    }

    /** Logs the session out at the server (RFC 7009): its introspection then says inactive. */
    public void revoke(String accessToken) {
        post("oauth2/revoke", state.credentialsByToken.get(accessToken),
                "token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8) + "&token_type_hint=access_token");
    }

    /** Introspection requests that reached the server so far. */
    public int introspections() {
        return state.introspections.get();
    }

    /** The last introspection request the server received (headers and {@code token_type_hint}). */
    public Map<String, String> lastIntrospection() {
        return state.lastIntrospection;
    }

    public void fault(Fault fault) {
        state.fault = fault;
    }

    private JsonNode post(String path, String credentials, String form) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Authorization", credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Stops it; again is harmless. */
    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }

    /** What the test and the server share. */
    static final class State {
        final String sharedSecret;
        final InMemoryRegisteredClientRepository clients;
        final AtomicInteger introspections = new AtomicInteger();
        final Map<String, String> credentialsByToken = new ConcurrentHashMap<>();
        volatile Fault fault = Fault.NONE;
        /** The last introspection request as it arrived: the headers MAS reads, and token_type_hint. */
        volatile Map<String, String> lastIntrospection = Map.of();

        State(String sharedSecret) {
            this.sharedSecret = sharedSecret;
            this.clients = new InMemoryRegisteredClientRepository(RegisteredClient.withId(HOMESERVER_CLIENT)
                    .clientId(HOMESERVER_CLIENT)
                    .clientAuthenticationMethod(SHARED_SECRET)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Config {
        @Bean
        InMemoryRegisteredClientRepository registeredClients(State oauthServerState) {
            return oauthServerState.clients;
        }

        /** MAS's claims on every access token: the Matrix user, and the device when the client names one. */
        @Bean
        OAuth2TokenCustomizer<OAuth2TokenClaimsContext> masClaims() {
            return context -> {
                ClientSettings settings = context.getRegisteredClient().getClientSettings();
                String username = settings.getSetting("username");
                if (username != null && !username.isEmpty()) {
                    context.getClaims().claim("username", username);
                }
                String deviceId = settings.getSetting("device_id");
                if (deviceId != null && !deviceId.isEmpty()) {
                    context.getClaims().claim("device_id", deviceId);
                }
            };
        }

        /**
         * Reference tokens in MAS's shape ({@code mat_<random>_<crc>}), as a homeserver behind MAS
         * sees them; the claims are the standard generator's, with MAS's.
         */
        @Bean
        OAuth2TokenGenerator<OAuth2Token> tokenGenerator(OAuth2TokenCustomizer<OAuth2TokenClaimsContext> masClaims) {
            OAuth2AccessTokenGenerator reference = new OAuth2AccessTokenGenerator();
            reference.setAccessTokenCustomizer(masClaims);
            OAuth2TokenGenerator<OAuth2AccessToken> masShaped = context -> {
                OAuth2AccessToken issued = reference.generate(context);
                return issued == null ? null : new MasShapedToken(issued);
            };
            return new DelegatingOAuth2TokenGenerator(masShaped, new OAuth2RefreshTokenGenerator());
        }

        @Bean
        JWKSource<SecurityContext> signingKeys() throws NoSuchAlgorithmException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate()).keyID("test").build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        @Bean
        SecurityFilterChain authorizationServer(HttpSecurity http, State oauthServerState) throws Exception {
            http.oauth2AuthorizationServer(server -> server
                            .clientAuthentication(clients -> clients
                                    .authenticationConverter(sharedSecretConverter())
                                    .authenticationProvider(sharedSecretProvider(oauthServerState)))
                            .tokenIntrospectionEndpoint(introspection -> introspection
                                    .introspectionResponseHandler(OAuthServer::writeMasIntrospection))
                            .oidc(oidc -> oidc.providerConfigurationEndpoint(metadata -> metadata
                                    .providerConfigurationCustomizer(claims -> claims.claim("account_management_uri",
                                            claims.build().getIssuer() + "/account")))))
                    // OpenID Connect's userinfo endpoint reads bearer tokens; elsewhere a bearer token is
                    // the homeserver's shared secret, for the client authentication above.
                    .oauth2ResourceServer(resources -> resources
                            .bearerTokenResolver(request -> "/userinfo".equals(request.getRequestURI())
                                    ? new DefaultBearerTokenResolver().resolve(request) : null)
                            .jwt(Customizer.withDefaults()))
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .csrf(csrf -> csrf.disable());
            return http.build();
        }

        /** Counts every introspection that reaches the server, and plays the fault the test set. */
        @Bean
        FilterRegistrationBean<Filter> introspectionFaults(State oauthServerState) {
            Filter faults = (request, response, chain) -> {
                oauthServerState.introspections.incrementAndGet();
                oauthServerState.lastIntrospection = seen((HttpServletRequest) request);
                HttpServletResponse http = (HttpServletResponse) response;
                switch (oauthServerState.fault) {
                    case NONE -> chain.doFilter(request, response);
                    case SLOW -> {
                        sleep(Duration.ofSeconds(4));
                        chain.doFilter(request, response);
                    }
                    case STATUS_500 -> http.sendError(500);
                    case NOT_JSON -> {
                        http.setContentType("text/html");
                        http.getWriter().write("<html>not an introspection</html>");
                    }
                    case HUGE -> {
                        http.setContentType("application/json");
                        String padding = "x".repeat(2 * 1024 * 1024);
                        http.getWriter().write("{\"active\": true, \"padding\": \"" + padding + "\"}");
                    }
                }
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(faults);
            registration.addUrlPatterns("/oauth2/introspect");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    /** The standard generator's access token under a value in MAS's shape; its claims are what introspection reads. */
    static final class MasShapedToken extends OAuth2AccessToken implements ClaimAccessor {
        private final Map<String, Object> claims;

        MasShapedToken(OAuth2AccessToken issued) {
            super(issued.getTokenType(), IssuedTokens.mas(), issued.getIssuedAt(), issued.getExpiresAt(), issued.getScopes());
            this.claims = ((ClaimAccessor) issued).getClaims();
        }

        @Override
        public Map<String, Object> getClaims() {
            return claims;
        }
    }

    private static Map<String, String> seen(HttpServletRequest request) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String header : new String[] {"Authorization", "Accept", "Content-Type", "X-MAS-Supports-Device-Id"}) {
            seen.put(header, String.valueOf(request.getHeader(header)));
        }
        seen.put("method", request.getMethod());
        seen.put("token_type_hint", String.valueOf(request.getParameter("token_type_hint")));
        return Map.copyOf(seen);
    }

    /** MAS's way: {@code Authorization: Bearer <shared secret>} authenticates the homeserver. */
    private static AuthenticationConverter sharedSecretConverter() {
        return request -> {
            String authorization = request.getHeader("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                return null; // not ours: the standard client authentications try
            }
            return new OAuth2ClientAuthenticationToken(HOMESERVER_CLIENT, SHARED_SECRET,
                    authorization.substring("Bearer ".length()), null);
        };
    }

    private static AuthenticationProvider sharedSecretProvider(State state) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) authentication;
                if (!SHARED_SECRET.equals(client.getClientAuthenticationMethod())) {
                    return null;
                }
                if (!state.sharedSecret.equals(client.getCredentials())) {
                    throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
                }
                return new OAuth2ClientAuthenticationToken(state.clients.findByClientId(HOMESERVER_CLIENT), SHARED_SECRET,
                        client.getCredentials());
            }

            @Override
            public boolean supports(Class<?> type) {
                return OAuth2ClientAuthenticationToken.class.isAssignableFrom(type);
            }
        };
    }

    /** RFC 7662 as MAS words it: {@code scope} one string, times in seconds, and {@code expires_in}. */
    private static void writeMasIntrospection(HttpServletRequest request, HttpServletResponse response,
                                              Authentication authentication) throws IOException {
        OAuth2TokenIntrospection claims = ((OAuth2TokenIntrospectionAuthenticationToken) authentication).getTokenClaims();
        Map<String, Object> body = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> body.put(name, masValue(name, value)));
        if (claims.isActive() && claims.getExpiresAt() != null) {
            body.put("expires_in", Math.max(0, Duration.between(Instant.now(), claims.getExpiresAt()).toSeconds()));
        }
        response.setStatus(200);
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }

    private static Object masValue(String name, Object value) {
        if (value instanceof Instant instant) {
            return instant.getEpochSecond();
        }
        if (name.equals("scope") && value instanceof Collection<?> scopes) {
            return String.join(" ", scopes.stream().map(Object::toString).toList());
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(Object::toString).toList();
        }
        return value instanceof Boolean || value instanceof Number ? value : value.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
