package org.matrixauth.example;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A client that speaks to the homeserver only over HTTP, as a script written for Synapse would. */
final class MatrixClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    MatrixClient(String base) {
        this.base = base;
    }

    record Answer(int status, Map<String, Object> body) {
        String string(String field) {
            return (String) body.get(field);
        }

        String errcode() {
            return string("errcode");
        }
    }

    Answer get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, Object body) throws IOException, InterruptedException {
        return send("POST", path, token, body instanceof String raw ? raw : JSON.writeValueAsString(body));
    }

    Answer put(String path, String token, Object body) throws IOException, InterruptedException {
        return send("PUT", path, token, JSON.writeValueAsString(body));
    }

    /** Synapse's shared-secret registration, as its register_new_matrix_user script does it. */
    Answer registerWithSharedSecret(String secret, String user, String password, boolean admin)
            throws IOException, InterruptedException {
        String nonce = get("/_synapse/admin/v1/register", null).string("nonce");
        String mac = SharedSecretRegistration.mac(secret, SharedSecretRegistration.message(nonce, user, password, admin, null));
        return post("/_synapse/admin/v1/register", null,
                Map.of("nonce", nonce, "username", user, "password", password, "admin", admin, "mac", mac));
    }

    private Answer send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500) {
            throw new AssertionError("a 5xx: " + response.statusCode() + " " + response.body());
        }
        // A 204 has no body: an empty one reads as an empty object.
        Map<String, Object> json = response.body().isEmpty() ? Map.of() : JSON.readValue(response.body(), new TypeReference<>() {});
        return new Answer(response.statusCode(), json);
    }
}
