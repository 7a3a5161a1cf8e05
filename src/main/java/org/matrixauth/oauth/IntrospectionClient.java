package org.matrixauth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.matrixauth.config.DelegationConfig;
import org.matrixauth.json.Mappers;

/**
 * RFC 7662 token introspection exactly as Synapse sends it (SPEC OAU-2): {@code POST
 * <endpoint>/oauth2/introspect} with the token in a form body, the shared secret as a bearer token
 * and {@code X-MAS-Supports-Device-Id: 1}. Non-blocking; at most {@code
 * max_concurrent_introspections} in flight; every way it can fail is an {@link IntrospectionFailure}.
 */
final class IntrospectionClient {
    /** Synapse's {@code response_limit}. */
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = Mappers.json();

    private final HttpClient http;
    private final DelegationConfig config;
    private final Clock clock;
    private final Semaphore inFlight;
    private final IntrospectionMetrics metrics;
    private final Reachability reachability;
    private final IntrospectionFailureLog failureLog;

    IntrospectionClient(HttpClient http, DelegationConfig config, Clock clock, IntrospectionMetrics metrics,
                        Reachability reachability) {
        this.http = http;
        this.config = config;
        this.clock = clock;
        this.inFlight = new Semaphore(config.maxConcurrentIntrospections());
        this.metrics = metrics;
        this.reachability = reachability;
        this.failureLog = new IntrospectionFailureLog(clock);
    }

    CompletableFuture<Introspection> introspect(String token) {
        if (!inFlight.tryAcquire()) {
            return notSent(new IntrospectionFailure(IntrospectionFailure.Kind.OVERLOADED,
                    config.maxConcurrentIntrospections() + " introspections in flight"));
        }
        if (!reachability.mayTry()) {
            inFlight.release();
            return notSent(new IntrospectionFailure(IntrospectionFailure.Kind.UNREACHABLE,
                    "no answer lately; one introspection a second tries again"));
        }
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(config.introspectionEndpoint())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + config.secret())
                .header("X-MAS-Supports-Device-Id", "1")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&token_type_hint=access_token"))
                .build();
        reachability.sent();
        return send(request, true)
                .handle((response, error) -> {
                    inFlight.release();
                    long elapsed = System.nanoTime() - started;
                    try {
                        Introspection answer = answer(response, error);
                        reachability.answered();
                        metrics.answered(answer.active(), elapsed);
                        failureLog.answered();
                        return answer;
                    } catch (IntrospectionFailure failure) {
                        if (failure.kind() == IntrospectionFailure.Kind.TRANSPORT
                                || failure.kind() == IntrospectionFailure.Kind.TIMEOUT) {
                            reachability.unanswered();
                        } else {
                            reachability.answered(); // it answered, if not properly
                        }
                        metrics.failed(failure.kind(), elapsed);
                        failureLog.failed(failure);
                        throw failure;
                    }
                });
    }

    /**
     * The exchange, sent again once when the connection failed before the answer's first byte: a
     * kept-alive connection the server (or a proxy) closed as the request went out. Introspection
     * changes nothing at the server, so a second try is safe; the JDK client retries only GET and
     * HEAD by itself. Not after a timeout (the server may be working on it) nor once an answer began.
     */
    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, boolean mayRetry) {
        AtomicBoolean answerBegan = new AtomicBoolean();
        return http.sendAsync(request, info -> {
            answerBegan.set(true);
            return body(info);
        }).exceptionallyCompose(error -> mayRetry && !answerBegan.get() && isConnectionFailure(error)
                ? send(request, false)
                : CompletableFuture.failedFuture(error));
    }

    private static boolean isConnectionFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof IOException && !(cause instanceof HttpTimeoutException);
    }

    private CompletableFuture<Introspection> notSent(IntrospectionFailure failure) {
        metrics.failed(failure.kind(), 0);
        failureLog.failed(failure);
        return CompletableFuture.failedFuture(failure);
    }

    /** A 2xx body up to the limit; any other status's body is read and dropped, never kept. */
    private static HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info) {
        return info.statusCode() / 100 == 2
                ? new LimitedBody(MAX_RESPONSE_BYTES)
                : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.discarding(), nothing -> null);
    }

    private Introspection answer(HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            throw failure(error);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IntrospectionFailure(IntrospectionFailure.Kind.STATUS, "status " + response.statusCode());
        }
        return parse(response.body());
    }

    private static IntrospectionFailure failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof IntrospectionFailure failure) {
            return failure;
        }
        if (cause instanceof HttpTimeoutException) {
            return new IntrospectionFailure(IntrospectionFailure.Kind.TIMEOUT, cause.getClass().getSimpleName());
        }
        return new IntrospectionFailure(IntrospectionFailure.Kind.TRANSPORT, cause.getClass().getName());
    }

    /** Synapse's model: {@code active} a boolean; {@code scope}, {@code username}, {@code device_id} strings; {@code expires_in} an integer. */
    private Introspection parse(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw invalid("not JSON");
        }
        if (json == null || !json.isObject() || !json.path("active").isBoolean()) {
            throw invalid("no boolean 'active'");
        }
        String scope = optionalString(json, "scope");
        optionalString(json, "sub");
        JsonNode expiresIn = json.get("expires_in");
        if (expiresIn != null && !expiresIn.isNull() && !(expiresIn.isIntegralNumber() && expiresIn.canConvertToLong())) {
            throw invalid("'expires_in' is not an integer");
        }
        Set<String> scopes = scope == null ? Set.of()
                : Arrays.stream(scope.split(" ")).filter(part -> !part.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new Introspection(json.get("active").asBoolean(), scopes, optionalString(json, "username"),
                optionalString(json, "device_id"),
                expiresIn == null || expiresIn.isNull() ? null : expiresIn.asLong(), clock.millis());
    }

    private static String optionalString(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("'" + field + "' is not a string");
        }
        return value.asText();
    }

    private static IntrospectionFailure invalid(String why) {
        return new IntrospectionFailure(IntrospectionFailure.Kind.INVALID_RESPONSE, why);
    }
}
