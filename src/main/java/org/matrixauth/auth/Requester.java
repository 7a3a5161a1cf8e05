package org.matrixauth.auth;

import java.security.Principal;
import java.util.Objects;
import java.util.Set;
import org.matrixauth.api.PublicApi;
import org.matrixauth.appservice.ApplicationService;

/**
 * Who a request acts as (SPEC section 0), as Synapse's {@code Requester}, and what the token that
 * authenticated it says about itself. It is the request's {@link Principal} (named by the
 * effective user). Built by the token authenticators through the named factories below.
 */
@PublicApi
public final class Requester implements Principal {
    private final String userId;
    private final Long accessTokenId;
    private final String deviceId;
    private final boolean guest;
    private final boolean shadowBanned;
    private final ApplicationService appService;
    private final String authenticatedEntity;
    private final boolean serverAdmin;
    private final Set<String> scopes;
    private final Long tokenValidUntilMs;
    private final boolean locked;
    /** TOK-6, for the authenticator of Synapse's tokens alone: whether the row is marked used. */
    private final boolean tokenMarkedUsed;
    /** RFT-4, for the same: whether the token was issued by a refresh, whose rotation reads the mark. */
    private final boolean tokenFromRefresh;

    private Requester(Builder builder) {
        this.userId = Objects.requireNonNull(builder.userId, "userId");
        this.accessTokenId = builder.accessTokenId;
        this.deviceId = builder.deviceId;
        this.guest = builder.guest;
        this.shadowBanned = builder.shadowBanned;
        this.appService = builder.appService;
        this.authenticatedEntity = builder.authenticatedEntity != null ? builder.authenticatedEntity : builder.userId;
        this.serverAdmin = builder.serverAdmin;
        this.scopes = Set.copyOf(builder.scopes);
        this.tokenValidUntilMs = builder.tokenValidUntilMs;
        this.locked = builder.locked;
        this.tokenMarkedUsed = builder.tokenMarkedUsed;
        this.tokenFromRefresh = builder.tokenFromRefresh;
    }

    /** A user acting with a token of their own (or, with {@link Builder#puppetedBy}, an admin's puppet token). */
    public static Builder user(String userId) {
        return new Builder(userId);
    }

    /** MAC-5: a guest acting with a guest macaroon. */
    public static Builder guest(String userId) {
        Builder builder = new Builder(userId);
        builder.guest = true;
        return builder;
    }

    /** AS-6: an application service acting as its sender or a user it masquerades as. */
    public static Builder appService(ApplicationService service, String userId) {
        Builder builder = new Builder(userId);
        builder.appService = Objects.requireNonNull(service, "service");
        return builder;
    }

    /** The effective user. */
    public String userId() {
        return userId;
    }

    /** {@code access_tokens.id}; null for application services, guest macaroons and tokens without a row. */
    public Long accessTokenId() {
        return accessTokenId;
    }

    /** Null when the request has no device. */
    public String deviceId() {
        return deviceId;
    }

    public boolean isGuest() {
        return guest;
    }

    public boolean shadowBanned() {
        return shadowBanned;
    }

    /** The application service that authenticated, or null. */
    public ApplicationService appService() {
        return appService;
    }

    public boolean isAppService() {
        return appService != null;
    }

    /** Who really authenticated: the token owner (the admin, for a puppet token). */
    public String authenticatedEntity() {
        return authenticatedEntity;
    }

    /** TOK-4: an admin acting as another user through a puppet token. */
    public boolean isPuppeted() {
        return !isAppService() && !userId.equals(authenticatedEntity);
    }

    /**
     * REQ-1, REQ-2: whether the effective user is a server admin, as the token's kind decides it
     * ({@code users.admin} for Synapse's tokens, a scope for OAuth 2.0 tokens).
     */
    public boolean isServerAdmin() {
        return serverAdmin;
    }

    /** The token's OAuth 2.0 scopes; empty for the kinds that have none. */
    public Set<String> scopes() {
        return scopes;
    }

    /** TOK-3: when the token stops being valid, in ms since the epoch; null when it never does. */
    public Long tokenValidUntilMs() {
        return tokenValidUntilMs;
    }

    /** TOK-7: {@code users.locked} of the effective user. */
    public boolean isLocked() {
        return locked;
    }

    boolean tokenMarkedUsed() {
        return tokenMarkedUsed;
    }

    boolean tokenFromRefresh() {
        return tokenFromRefresh;
    }

    /** The principal's name: the effective user. */
    @Override
    public String getName() {
        return userId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Requester that
                && userId.equals(that.userId)
                && Objects.equals(accessTokenId, that.accessTokenId)
                && Objects.equals(deviceId, that.deviceId)
                && guest == that.guest
                && shadowBanned == that.shadowBanned
                && Objects.equals(appService, that.appService)
                && authenticatedEntity.equals(that.authenticatedEntity)
                && serverAdmin == that.serverAdmin
                && scopes.equals(that.scopes)
                && Objects.equals(tokenValidUntilMs, that.tokenValidUntilMs)
                && locked == that.locked;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, accessTokenId, deviceId, authenticatedEntity);
    }

    /** No token or secret is held here, so all of it may be logged. */
    @Override
    public String toString() {
        return "Requester[" + userId + (deviceId != null ? ", device " + deviceId : "")
                + (isPuppeted() ? ", puppeted by " + authenticatedEntity : "")
                + (appService != null ? ", appservice " + appService.id() : "")
                + (guest ? ", guest" : "") + (serverAdmin ? ", admin" : "") + "]";
    }

    /** Every field but the user is optional; unset booleans are false. */
    public static final class Builder {
        private final String userId;
        private Long accessTokenId;
        private String deviceId;
        private boolean guest;
        private boolean shadowBanned;
        private ApplicationService appService;
        private String authenticatedEntity;
        private boolean serverAdmin;
        private Set<String> scopes = Set.of();
        private Long tokenValidUntilMs;
        private boolean locked;
        private boolean tokenMarkedUsed;
        private boolean tokenFromRefresh;

        private Builder(String userId) {
            this.userId = userId;
        }

        public Builder accessTokenId(Long accessTokenId) {
            this.accessTokenId = accessTokenId;
            return this;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /** TOK-4: the admin who owns the puppet token acting as this user. */
        public Builder puppetedBy(String tokenOwner) {
            this.authenticatedEntity = tokenOwner;
            return this;
        }

        public Builder shadowBanned(boolean shadowBanned) {
            this.shadowBanned = shadowBanned;
            return this;
        }

        public Builder serverAdmin(boolean serverAdmin) {
            this.serverAdmin = serverAdmin;
            return this;
        }

        public Builder scopes(Set<String> scopes) {
            this.scopes = scopes;
            return this;
        }

        public Builder tokenValidUntilMs(Long tokenValidUntilMs) {
            this.tokenValidUntilMs = tokenValidUntilMs;
            return this;
        }

        public Builder locked(boolean locked) {
            this.locked = locked;
            return this;
        }

        Builder tokenMarkedUsed(boolean tokenMarkedUsed) {
            this.tokenMarkedUsed = tokenMarkedUsed;
            return this;
        }

        Builder tokenFromRefresh(boolean tokenFromRefresh) {
            this.tokenFromRefresh = tokenFromRefresh;
            return this;
        }

        public Requester build() {
            return new Requester(this);
        }
    }
}
