package org.matrixauth.example;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import org.jdbi.v3.core.Jdbi;
import org.matrixauth.MatrixAuth;
import org.matrixauth.auth.Requester;
import org.matrixauth.config.Settings;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.matrixauth.servlet.MatrixAuthFilter;

/**
 * What the example's endpoints share: the filter's {@link MatrixAuth} (found in the servlet
 * context), the homeserver's own store, keys and settings, built once per web application.
 */
final class Homeserver {
    private static final String ATTRIBUTE = Homeserver.class.getName();

    final MatrixAuth auth;
    final HomeserverStore store;
    final Profiles profiles;
    final Devices devices;
    final Threepids threepids;
    final Deactivation deactivation;
    final Usernames usernames;
    final Passwords passwords;
    final UserIds userIds;
    final TokenIssuer tokens;
    /** The nonces handed out for shared-secret registration, the web application's one set. */
    final SharedSecretRegistration sharedSecretRegistration = new SharedSecretRegistration();
    final String serverName;
    /** {@code registration_shared_secret}, or null when shared-secret registration is off. */
    final String registrationSharedSecret;
    /** {@code allow_guest_access}. */
    final boolean allowGuestAccess;
    /**
     * {@code matrix_authentication_service.enabled}: the authorization server logs users in and
     * provisions them, so the homeserver serves its provisioning API instead of its own login,
     * logout and registration, as Synapse does.
     */
    final boolean delegated;

    private Homeserver(MatrixAuth auth) {
        Settings settings = auth.config().settings();
        Jdbi jdbi = Jdbi.create(auth.dataSource());
        this.auth = auth;
        this.profiles = new Profiles(jdbi);
        this.devices = new Devices(jdbi);
        this.threepids = new Threepids(jdbi);
        this.store = new HomeserverStore(jdbi, profiles);
        this.deactivation = new Deactivation(auth.accounts(), store, threepids, profiles);
        this.passwords = new Passwords(settings.string("password_config.pepper", ""),
                settings.integer("bcrypt_rounds", 12, 4, 31));
        this.serverName = auth.config().serverName();
        this.registrationSharedSecret = settings.string("registration_shared_secret", null);
        this.allowGuestAccess = settings.bool("allow_guest_access", false);
        this.delegated = auth.authorizationServer().isPresent();
        this.userIds = new UserIds(serverName);
        this.tokens = new TokenIssuer(auth, devices, store);
        this.usernames = new Usernames(serverName, store, auth.appServices(),
                settings.string("server_notices.system_mxid_localpart", null),
                settings.bool("allow_underscore_prefixed_localpart", false));
    }

    /** The filter starts first and publishes its {@link MatrixAuth}; the homeserver is built on first use. */
    static Homeserver of(ServletContext context) {
        synchronized (context) {
            Homeserver homeserver = (Homeserver) context.getAttribute(ATTRIBUTE);
            if (homeserver == null) {
                MatrixAuth auth = (MatrixAuth) context.getAttribute(MatrixAuthFilter.CONTEXT_ATTRIBUTE);
                if (auth == null) {
                    throw new IllegalStateException("MatrixAuthFilter is not running in this web application");
                }
                homeserver = new Homeserver(auth);
                context.setAttribute(ATTRIBUTE, homeserver);
            }
            return homeserver;
        }
    }

    static Requester requester(HttpServletRequest request) {
        return (Requester) request.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE);
    }

    /** TOK-7: a lock asked for on a database without {@code users.locked} is the client's to learn of, not a 500. */
    void requireLocking() {
        if (!auth.accounts().lockingSupported()) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "This database has no users.locked column (Synapse before 1.91)");
        }
    }
}
