package org.matrixauth.error;

import org.matrixauth.api.PublicApi;

/**
 * Every {@code errcode} the library and a homeserver built on it answer, each spelled once: as the
 * Matrix specification (or Synapse, for its own codes) writes it, which is the constant's name
 * unless the code holds characters a Java name cannot.
 */
@PublicApi
public enum Errcode {
    M_BAD_JSON,
    M_EXCLUSIVE,
    M_FORBIDDEN,
    M_GUEST_ACCESS_FORBIDDEN,
    M_INVALID_PARAM,
    M_INVALID_USERNAME,
    M_LIMIT_EXCEEDED,
    M_MISSING_PARAM,
    M_MISSING_TOKEN,
    M_NOT_FOUND,
    M_NOT_JSON,
    M_RESOURCE_LIMIT_EXCEEDED,
    M_TOO_LARGE,
    M_UNKNOWN,
    M_UNKNOWN_DEVICE,
    M_UNKNOWN_TOKEN,
    M_UNRECOGNIZED,
    M_USER_DEACTIVATED,
    M_USER_IN_USE,
    M_USER_LOCKED,
    /** Synapse's, for an account past its validity (TOK-9). */
    ORG_MATRIX_EXPIRED_ACCOUNT,
    /** MSC4190: appservice login refused while the service manages its devices itself. */
    IO_ELEMENT_MSC4190_M_APPSERVICE_LOGIN_UNSUPPORTED("IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED");

    private final String code;

    Errcode() {
        this.code = name();
    }

    Errcode(String code) {
        this.code = code;
    }

    /** As the client reads it in the JSON body. */
    public String code() {
        return code;
    }
}
