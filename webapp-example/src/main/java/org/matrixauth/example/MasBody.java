package org.matrixauth.example;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;

/**
 * A provisioning request's body, checked as Synapse checks it with its pydantic models
 * ({@code RequestBodyModel}): strict types (a string is a JSON string, a boolean a JSON boolean),
 * unknown fields ignored, and every field that does not fit reported at once. Synapse's
 * {@code validate_json_object} then answers 400: M_MISSING_PARAM for one missing field,
 * M_INVALID_PARAM for one value a check refused, M_BAD_JSON otherwise, with pydantic's summary as
 * the text. Read the fields, then {@link #validate()}.
 */
final class MasBody {
    /** Synapse names every provisioning body's model so. */
    private static final String MODEL = "PostBody";
    private static final String MISSING = "missing";
    private static final String VALUE_ERROR = "value_error";

    private record Problem(String location, String message, String type) {}

    private final JsonNode body;
    private final List<Problem> problems = new ArrayList<>();

    private MasBody(JsonNode body) {
        this.body = body;
    }

    /** @throws MatrixException M_NOT_JSON for no body or not JSON, M_BAD_JSON for JSON that is not an object */
    static MasBody read(HttpServletRequest request) throws IOException {
        return new MasBody(Json.requiredBody(request));
    }

    /**
     * A {@code model_validator(mode="before")} of Synapse's: it runs before any field is looked at,
     * so its refusal is the only problem reported. Like Synapse's, it asks whether both fields are
     * present, whatever their values.
     */
    void requireNotBoth(String unset, String set) {
        if (body.has(unset) && body.has(set)) {
            problems.add(new Problem("", "Value error, Cannot specify both " + unset + " and " + set, VALUE_ERROR));
            validate();
        }
    }

    /** {@code StrictStr}: required. */
    String string(String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            problems.add(new Problem(field, "Field required", MISSING));
            return null;
        }
        return text(field, value);
    }

    /** {@code StrictStr | None = None}. */
    String optionalString(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : text(field, value);
    }

    /** {@code StrictBool}: required. */
    boolean flag(String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            problems.add(new Problem(field, "Field required", MISSING));
            return false;
        }
        return bool(field, value);
    }

    /** {@code StrictBool = False}. */
    boolean flagOrFalse(String field) {
        JsonNode value = body.get(field);
        return value != null && bool(field, value);
    }

    /** {@code StrictBool | None = None}. */
    Boolean optionalFlag(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : bool(field, value);
    }

    /** {@code list[str]}, required. */
    List<String> strings(String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            problems.add(new Problem(field, "Field required", MISSING));
            return List.of();
        }
        return list(field, value);
    }

    /** {@code list[StrictStr] | None = None}. */
    List<String> optionalStrings(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : list(field, value);
    }

    /** @throws MatrixException 400 with Synapse's errcode when any field did not fit */
    void validate() {
        if (problems.isEmpty()) {
            return;
        }
        Errcode errcode = Errcode.M_BAD_JSON;
        if (problems.size() == 1) {
            errcode = switch (problems.get(0).type()) {
                case MISSING -> Errcode.M_MISSING_PARAM;
                case VALUE_ERROR -> Errcode.M_INVALID_PARAM;
                default -> Errcode.M_BAD_JSON;
            };
        }
        String summary = problems.size() + " validation error" + (problems.size() == 1 ? "" : "s") + " for " + MODEL + "\n"
                + problems.stream()
                        .map(p -> (p.location().isEmpty() ? "" : p.location() + "\n") + "  " + p.message() + " [type=" + p.type() + "]")
                        .collect(Collectors.joining("\n"));
        throw new MatrixException(400, errcode, summary);
    }

    /**
     * A JSON string. One holding a NUL is refused here: PostgreSQL cannot store it, and Synapse on
     * PostgreSQL would fail with a 500 instead.
     */
    private String text(String location, JsonNode value) {
        if (!value.isTextual()) {
            problems.add(new Problem(location, "Input should be a valid string", "string_type"));
            return null;
        }
        if (value.textValue().indexOf('\0') >= 0) {
            problems.add(new Problem(location, "Value error, String should not contain NUL characters", VALUE_ERROR));
            return null;
        }
        return value.textValue();
    }

    private boolean bool(String location, JsonNode value) {
        if (!value.isBoolean()) {
            problems.add(new Problem(location, "Input should be a valid boolean", "bool_type"));
            return false;
        }
        return value.booleanValue();
    }

    private List<String> list(String location, JsonNode value) {
        if (!value.isArray()) {
            problems.add(new Problem(location, "Input should be a valid list", "list_type"));
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(text(location + "." + i, value.get(i)));
        }
        return items;
    }
}
