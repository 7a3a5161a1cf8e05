package org.matrixauth.example;

import org.matrixauth.error.MatrixException;

/**
 * The Matrix error for a status the container produces on its own: a path nothing serves, a
 * request it cannot parse, a header or URI over its limits, an error no servlet caught. Clients
 * then always get Matrix JSON, as from Synapse, and never the container's HTML page. The
 * container's own message is not repeated: it may quote the request.
 */
final class ContainerErrors {
    private ContainerErrors() {}

    static MatrixException forStatus(int status) {
        return switch (status) {
            case 404, 405 -> new MatrixException(status, "M_UNRECOGNIZED", "Unrecognized request");
            case 413, 414, 431 -> new MatrixException(status, "M_TOO_LARGE", "Request too large");
            default -> new MatrixException(status, "M_UNKNOWN",
                    status >= 500 ? "Internal server error" : "Malformed request (HTTP " + status + ")");
        };
    }
}
