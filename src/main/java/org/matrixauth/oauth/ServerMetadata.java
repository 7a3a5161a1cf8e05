package org.matrixauth.oauth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.matrixauth.config.DelegationConfig;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.json.Mappers;

/**
 * The authorization server's metadata (SPEC OAU-9), {@code <endpoint>/.well-known/openid-configuration},
 * as Synapse's {@code RetryOnExceptionCachedCall} keeps it: fetched on first use, kept once it
 * arrived, fetched again on the next use after a failure.
 */
final class ServerMetadata {
    private static final ObjectMapper JSON = Mappers.json();

    private final HttpClient http;
    private final DelegationConfig config;
    private volatile Map<String, Object> metadata;

    ServerMetadata(HttpClient http, DelegationConfig config) {
        this.http = http;
        this.config = config;
    }

    /** @throws MatrixException 503 when the server cannot be asked, or answers without an issuer and account_management_uri */
    Map<String, Object> get() {
        Map<String, Object> known = metadata;
        if (known == null) {
            synchronized (this) {
                known = metadata;
                if (known == null) {
                    known = fetch();
                    metadata = known;
                }
            }
        }
        return known;
    }

    private Map<String, Object> fetch() {
        HttpRequest request = HttpRequest.newBuilder(config.metadataEndpoint())
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, info -> new LimitedBody(IntrospectionClient.MAX_RESPONSE_BYTES));
            if (response.statusCode() / 100 != 2) {
                throw unavailable();
            }
            Map<String, Object> fetched = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
            if (!(fetched.get("issuer") instanceof String) || !(fetched.get("account_management_uri") instanceof String)) {
                throw unavailable();
            }
            return Map.copyOf(fetched);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MatrixException matrix) {
                throw matrix;
            }
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static MatrixException unavailable() {
        return new MatrixException(503, Errcode.M_UNKNOWN, "Unable to fetch the authorization server's metadata");
    }
}
