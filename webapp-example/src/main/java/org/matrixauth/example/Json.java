package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.matrixauth.error.MatrixException;

/** Request bodies and answers in JSON, with Synapse's errors for bodies it cannot use. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** @throws MatrixException M_NOT_JSON when the body is not a JSON object */
    static JsonNode body(HttpServletRequest request) throws IOException {
        JsonNode body;
        try {
            body = MAPPER.readTree(request.getInputStream());
        } catch (IOException e) {
            throw new MatrixException(400, "M_NOT_JSON", "Content not JSON.");
        }
        if (body == null || body.isMissingNode()) {
            return MAPPER.createObjectNode();
        }
        if (!body.isObject()) {
            throw new MatrixException(400, "M_NOT_JSON", "Content must be a JSON object.");
        }
        return body;
    }

    static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new MatrixException(400, "M_MISSING_PARAM", "Missing parameter: " + field);
        }
        if (!value.isTextual()) {
            throw new MatrixException(400, "M_BAD_JSON", "Parameter " + field + " must be a string");
        }
        return value.asText();
    }

    static String optionalString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MatrixException(400, "M_BAD_JSON", "Parameter " + field + " must be a string");
        }
        return value.asText();
    }

    static Boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new MatrixException(400, "M_BAD_JSON", "Parameter " + field + " must be a boolean");
        }
        return value.asBoolean();
    }

    static Long optionalLong(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new MatrixException(400, "M_BAD_JSON", "Parameter " + field + " must be an integer");
        }
        return value.asLong();
    }

    static void write(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Access-Control-Allow-Origin", "*");
        MAPPER.writeValue(response.getOutputStream(), body);
    }
}
