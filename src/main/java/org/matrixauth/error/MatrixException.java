package org.matrixauth.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.matrixauth.api.PublicApi;

/**
 * A failure that the client is told about as Matrix JSON (SPEC ERR-1): an HTTP status, an
 * {@code errcode}, a human-readable {@code error} and, for some rules, extra fields such as
 * {@code soft_logout}. Thrown by the rules, turned into a response in exactly one place
 * (the servlet layer's error writer).
 */
@PublicApi
public final class MatrixException extends RuntimeException {
    private final int status;
    private final Errcode errcode;
    private final Map<String, Object> extraFields;

    public MatrixException(int status, Errcode errcode, String error) {
        this(status, errcode, error, Map.of());
    }

    public MatrixException(int status, Errcode errcode, String error, Map<String, Object> extraFields) {
        // No stack trace: these are expected outcomes of client input, thrown on the request path.
        super(error, null, false, false);
        this.status = status;
        this.errcode = Objects.requireNonNull(errcode, "errcode");
        this.extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
    }

    /** 401 M_MISSING_TOKEN (EXT-2..5). */
    public static MatrixException missingToken(String error) {
        return new MatrixException(401, Errcode.M_MISSING_TOKEN, error);
    }

    /** 401 M_UNKNOWN_TOKEN with Synapse's {@code soft_logout} flag (TOK-2, TOK-3). */
    public static MatrixException unknownToken(String error, boolean softLogout) {
        return new MatrixException(401, Errcode.M_UNKNOWN_TOKEN, error, Map.of("soft_logout", softLogout));
    }

    /** The answer to any token that is not (or no longer) valid. */
    public static MatrixException unrecognisedToken() {
        return unknownToken("Unrecognised access token", false);
    }

    /** TOK-7: 401 M_USER_LOCKED, with {@code soft_logout} so that clients keep their session. */
    public static MatrixException userLocked() {
        return new MatrixException(401, Errcode.M_USER_LOCKED, "User account has been locked", Map.of("soft_logout", true));
    }

    /**
     * Synapse's answer for what it does not serve: 404 for a path, 405 for a served path asked
     * with another method.
     */
    public static MatrixException unrecognized(int status) {
        return new MatrixException(status, Errcode.M_UNRECOGNIZED, "Unrecognized request");
    }

    public static MatrixException forbidden(String error) {
        return new MatrixException(403, Errcode.M_FORBIDDEN, error);
    }

    /** ERR-3: what the client learns about a failure inside the server. */
    public static MatrixException internal() {
        return new MatrixException(500, Errcode.M_UNKNOWN, "Internal server error");
    }

    public int status() {
        return status;
    }

    /** As the client reads it in the JSON body. */
    public String errcode() {
        return errcode.code();
    }

    /** Whether this is a refusal of that kind. */
    public boolean is(Errcode kind) {
        return errcode == kind;
    }

    public String error() {
        return getMessage();
    }

    public Map<String, Object> extraFields() {
        return extraFields;
    }

    @Override
    public String toString() {
        return status + " " + errcode.code() + ": " + getMessage();
    }
}
