package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.matrixauth.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener the example serves the client API on: the first {@code type: http} entry of
 * homeserver.yaml's {@code listeners} with the {@code client} resource, read as Synapse's
 * {@code parse_listener_def} reads it. What Synapse would serve and the example cannot is named:
 * as a config error where serving anyway would differ from what the operator asked (TLS, a unix
 * socket), as a warning where it only serves less (other resources, other listeners).
 *
 * @param port the listener's {@code port}, or {@link #DEFAULT_PORT} without a {@code listeners} key
 * @param bindAddresses one connector each
 * @param xForwarded {@code x_forwarded}: the client's address is the first {@code X-Forwarded-For} one
 * @param requestIdHeader {@code request_id_header}, or null: the header a request's id is taken from
 */
record ClientListener(int port, List<String> bindAddresses, boolean xForwarded, String requestIdHeader) {
    static final int DEFAULT_PORT = 8008;
    /** What Synapse's generated homeserver.yaml binds (its {@code private_addresses}): loopback only. */
    static final List<String> GENERATED_CONFIG_BIND_ADDRESSES = List.of("::1", "127.0.0.1");
    /** Synapse's {@code DEFAULT_BIND_ADDRESSES}: a listener without {@code bind_addresses} binds every interface. */
    static final List<String> SYNAPSE_DEFAULT_BIND_ADDRESSES = List.of("::", "0.0.0.0");

    private static final Logger LOG = LoggerFactory.getLogger(ClientListener.class);
    private static final ObjectMapper YAML = Mappers.yaml();

    static ClientListener read(Path config) {
        JsonNode root;
        try {
            root = YAML.readTree(config.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + config + ": " + e.getMessage(), e);
        }
        JsonNode listeners = root == null ? null : root.get("listeners");
        if (listeners == null || listeners.isNull()) {
            return new ClientListener(DEFAULT_PORT, GENERATED_CONFIG_BIND_ADDRESSES, false, null);
        }
        if (!listeners.isArray()) {
            throw bad("listeners", "must be a list of listeners");
        }
        ClientListener client = null;
        for (int i = 0; i < listeners.size(); i++) {
            String key = "listeners[" + i + "]";
            JsonNode listener = listeners.get(i);
            if (!listener.isObject()) {
                throw bad(key, "must be a mapping");
            }
            if (client == null && servesClient(listener)) {
                client = clientListener(key, listener);
            } else {
                LOG.warn("{} (type {}) is not served: the example serves one http listener with the client resource",
                        key, listener.path("type").asText("?"));
            }
        }
        if (client == null) {
            throw bad("listeners", "has no type: http listener with the client resource");
        }
        return client;
    }

    private static boolean servesClient(JsonNode listener) {
        if (!"http".equals(listener.path("type").asText())) {
            return false;
        }
        for (JsonNode resource : listener.path("resources")) {
            for (JsonNode name : resource.path("names")) {
                if ("client".equals(name.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ClientListener clientListener(String key, JsonNode listener) {
        if (listener.has("path")) {
            throw bad(key + ".path", "is a unix socket, which the example cannot listen on; give a port");
        }
        if (bool(listener, key, "tls")) {
            throw bad(key + ".tls", "is true, but the example serves plain HTTP only; terminate TLS at a reverse proxy");
        }
        JsonNode port = listener.get("port");
        if (port == null || !port.canConvertToInt() || !port.isIntegralNumber() || port.asInt() < 0 || port.asInt() > 65535) {
            throw bad(key + ".port", "must be a port number, not '" + (port == null ? "" : port.asText()) + "'");
        }
        warnAboutOtherResources(key, listener);
        List<String> addresses = strings(listener, key + ".bind_addresses");
        if (listener.has("bind_address")) {
            addresses.add(string(listener, key, "bind_address"));
        }
        return new ClientListener(port.asInt(), addresses.isEmpty() ? SYNAPSE_DEFAULT_BIND_ADDRESSES : addresses,
                bool(listener, key, "x_forwarded"), listener.has("request_id_header") ? string(listener, key, "request_id_header") : null);
    }

    private static void warnAboutOtherResources(String key, JsonNode listener) {
        for (JsonNode resource : listener.path("resources")) {
            for (JsonNode name : resource.path("names")) {
                if (!"client".equals(name.asText())) {
                    LOG.warn("{}.resources: '{}' is not served by the example, only 'client'", key, name.asText());
                }
            }
        }
    }

    private static boolean bool(JsonNode listener, String key, String field) {
        JsonNode value = listener.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw bad(key + "." + field, "must be true or false, not '" + value.asText() + "'");
        }
        return value != null && value.asBoolean();
    }

    private static String string(JsonNode listener, String key, String field) {
        JsonNode value = listener.get(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw bad(key + "." + field, "must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode listener, String key) {
        JsonNode value = listener.get("bind_addresses");
        List<String> result = new ArrayList<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (!value.isArray()) {
            throw bad(key, "must be a list of addresses");
        }
        for (JsonNode address : value) {
            if (!address.isTextual()) {
                throw bad(key, "must be a list of addresses, not '" + address.asText() + "'");
            }
            result.add(address.asText());
        }
        return result;
    }

    private static ConfigException bad(String key, String problem) {
        return new ConfigException("configuration key '" + key + "' " + problem);
    }
}
