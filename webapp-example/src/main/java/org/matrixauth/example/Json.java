package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.BrowserHeaders;

/** Request bodies and answers in JSON, with Synapse's errors for bodies it cannot use. */
final class Json {
    static final ObjectMapper MAPPER = Mappers.json();

    private Json() {}

    /**
     * Synapse's {@code parse_json_object_from_request} with an empty body allowed (as an empty object).
     *
     * @throws MatrixException M_NOT_JSON when the body is not JSON, M_BAD_JSON when it is not an object
     */
    static JsonNode body(HttpServletRequest request) throws IOException {
        return parse(request, true);
    }

    /** The same without an empty body allowed: that is M_NOT_JSON too, as for Synapse's pydantic-checked bodies. */
    static JsonNode requiredBody(HttpServletRequest request) throws IOException {
        return parse(request, false);
    }

    private static JsonNode parse(HttpServletRequest request, boolean allowEmpty) throws IOException {
        JsonNode body;
        try {
            body = MAPPER.readTree(request.getInputStream());
        } catch (IOException e) {
            throw notJson();
        }
        if (body == null || body.isMissingNode()) {
            if (!allowEmpty) {
                throw notJson();
            }
            return MAPPER.createObjectNode();
        }
        if (!body.isObject()) {
            throw new MatrixException(400, Errcode.M_BAD_JSON, "Content must be a JSON object.");
        }
        return body;
    }

    private static MatrixException notJson() {
        return new MatrixException(400, Errcode.M_NOT_JSON, "Content not JSON.");
    }

    static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new MatrixException(400, Errcode.M_MISSING_PARAM, "Missing parameter: " + field);
        }
        if (!value.isTextual()) {
            throw new MatrixException(400, Errcode.M_BAD_JSON, "Parameter " + field + " must be a string");
        }
        return value.asText();
    }

    static String optionalString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MatrixException(400, Errcode.M_BAD_JSON, "Parameter " + field + " must be a string");
        }
        return value.asText();
    }

    static Boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new MatrixException(400, Errcode.M_BAD_JSON, "Parameter " + field + " must be a boolean");
        }
        return value.asBoolean();
    }

    static Long optionalLong(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new MatrixException(400, Errcode.M_BAD_JSON, "Parameter " + field + " must be an integer");
        }
        return value.asLong();
    }

    /** A JSON answer, with Synapse's Cache-Control (WEB-3); its CORS headers are {@link SynapseCorsFilter}'s. */
    static void write(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        BrowserHeaders.addNoCache(response);
        MAPPER.writeValue(response.getOutputStream(), body);
    }

    /** 204: Synapse's JSON answer with that status, whose body HTTP leaves out. */
    static void noContent(HttpServletResponse response) {
        response.setStatus(204);
        BrowserHeaders.addNoCache(response);
    }
}
