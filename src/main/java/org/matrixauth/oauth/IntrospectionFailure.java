package org.matrixauth.oauth;

/**
 * Why the authorization server could not answer (OAU-2): every kind is answered 503, never 401,
 * and never cached. The message names the kind, never the token or the body.
 */
final class IntrospectionFailure extends RuntimeException {
    /** The label under which the failure is counted. */
    enum Kind {
        /** Connection refused or reset, DNS, TLS. */
        TRANSPORT,
        /** No answer within {@code request_timeout}. */
        TIMEOUT,
        /** A status other than 2xx. */
        STATUS,
        /** More than 1 MiB. */
        TOO_LARGE,
        /** Not JSON, or JSON that does not fit. */
        INVALID_RESPONSE,
        /** {@code max_concurrent_introspections} already in flight. */
        OVERLOADED,
        /** Not tried: the server has not answered lately, and another request is finding out whether it is back. */
        UNREACHABLE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the request went out (and so took time worth measuring). */
        boolean sent() {
            return this != OVERLOADED && this != UNREACHABLE;
        }
    }

    private final Kind kind;

    IntrospectionFailure(Kind kind, String detail) {
        super(kind.label() + ": " + detail, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
