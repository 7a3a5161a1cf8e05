package org.matrixauth.oauth;

import java.util.Map;
import org.matrixauth.api.PublicApi;

/**
 * The OAuth 2.0 authorization server that delegated authentication trusts (SPEC OAU-9, OAU-10), as
 * a homeserver needs it: its metadata for {@code /_matrix/client/v1/auth_metadata} and {@code
 * auth_issuer}, and whether a request is the server itself calling the provisioning API.
 */
@PublicApi
public final class AuthorizationServer {
    private final ServerMetadata metadata;
    private final OAuthTokenAuthenticator tokens;

    AuthorizationServer(ServerMetadata metadata, OAuthTokenAuthenticator tokens) {
        this.metadata = metadata;
        this.tokens = tokens;
    }

    /**
     * The server's metadata as it published it, {@code issuer} and {@code account_management_uri}
     * among it; fetched once, and again after a failure.
     *
     * @throws org.matrixauth.error.MatrixException 503 when it cannot be had now
     */
    public Map<String, Object> metadata() {
        return metadata.get();
    }

    public String issuer() {
        return (String) metadata.get().get("issuer");
    }

    public String accountManagementUri() {
        return (String) metadata.get().get("account_management_uri");
    }

    /** OAU-10: whether the token is the shared secret (compared in constant time). */
    public boolean isSharedSecret(String token) {
        return tokens.isSharedSecret(token);
    }
}
