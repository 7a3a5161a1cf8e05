package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Synapse's {@code register_new_matrix_user} script, for this homeserver: takes the shared secret
 * from the config file and registers a user over the admin API (nonce, then HMAC).
 */
final class RegisterNewMatrixUser {
    static final String COMMAND = "register_new_matrix_user";

    private RegisterNewMatrixUser() {}

    static int run(String[] args) throws Exception {
        String config = null;
        String user = null;
        String password = null;
        boolean admin = false;
        String url = "http://localhost:" + ClientListener.DEFAULT_PORT;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "-c" -> config = args[++i];
                case "-u" -> user = args[++i];
                case "-p" -> password = args[++i];
                case "-a" -> admin = true;
                default -> url = args[i];
            }
        }
        if (config == null || user == null || password == null) {
            System.err.println("usage: register_new_matrix_user -c homeserver.yaml -u USER -p PASSWORD [-a] [URL]");
            return 2;
        }
        JsonNode settings = Mappers.yaml().readTree(Path.of(config).toFile());
        String secret = settings.path("registration_shared_secret").asText(null);
        if (secret == null) {
            System.err.println(config + " has no registration_shared_secret");
            return 1;
        }
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = Mappers.json();
        String endpoint = url + "/_synapse/admin/v1/register";
        HttpResponse<String> nonceResponse = http.send(HttpRequest.newBuilder(URI.create(endpoint)).build(),
                HttpResponse.BodyHandlers.ofString());
        String nonce = json.readTree(nonceResponse.body()).path("nonce").asText();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nonce", nonce);
        body.put("username", user);
        body.put("password", password);
        body.put("admin", admin);
        body.put("mac", SharedSecretRegistration.mac(secret, SharedSecretRegistration.message(nonce, user, password, admin, null)));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        // As Synapse's script: the answer holds the new user's access token, which is not for a terminal or a log.
        System.out.println(response.statusCode() == 200 ? "Success!" : "Failed: " + response.body());
        return response.statusCode() == 200 ? 0 : 1;
    }
}
