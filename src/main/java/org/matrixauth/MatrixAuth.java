package org.matrixauth;

import java.time.Clock;
import org.matrixauth.appservice.AppServiceRegistry;
import org.matrixauth.appservice.RegistrationLoader;
import org.matrixauth.auth.AppServiceAuthenticator;
import org.matrixauth.auth.RequesterResolver;
import org.matrixauth.auth.UserTokenAuthenticator;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.macaroon.GuestMacaroonVerifier;
import org.matrixauth.store.jdbi.SynapseDatabase;
import org.matrixauth.token.AccessTokenExtractor;

/**
 * Everything authentication needs, wired from one {@link AuthConfig}: the database, the
 * application services and the resolver. The filter owns one; a homeserver may build its own
 * to reach the same stores.
 */
public final class MatrixAuth implements AutoCloseable {
    private final AuthConfig config;
    private final SynapseDatabase database;
    private final AppServiceRegistry appServices;
    private final RequesterResolver resolver;

    private MatrixAuth(AuthConfig config, SynapseDatabase database, AppServiceRegistry appServices, Clock clock) {
        this.config = config;
        this.database = database;
        this.appServices = appServices;
        this.resolver = new RequesterResolver(
                new AccessTokenExtractor(config.allowAccessTokenQuery()),
                new AppServiceAuthenticator(appServices, database.users(), database.devices(),
                        config.msc3202DeviceMasquerading()),
                new UserTokenAuthenticator(database.tokens(), database.users(),
                        new GuestMacaroonVerifier(config.macaroonSecretKey(), clock),
                        config.accountValidityEnabled(), clock));
    }

    /**
     * Loads the registrations first, so that a bad file fails start-up before any connection
     * is opened.
     *
     * @throws org.matrixauth.config.ConfigException naming the bad key or file
     */
    public static MatrixAuth start(AuthConfig config) {
        AppServiceRegistry appServices =
                new RegistrationLoader(config.serverName()).loadAll(config.appServiceConfigFiles());
        SynapseDatabase database;
        try {
            database = SynapseDatabase.open(config.database().jdbcUrl(), config.database().maxPoolSize());
        } catch (RuntimeException e) {
            throw new ConfigException("configuration key 'database': cannot open " + config.database() + ": "
                    + rootMessage(e), e);
        }
        return new MatrixAuth(config, database, appServices, Clock.systemUTC());
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    public AuthConfig config() {
        return config;
    }

    public SynapseDatabase database() {
        return database;
    }

    public AppServiceRegistry appServices() {
        return appServices;
    }

    public RequesterResolver resolver() {
        return resolver;
    }

    @Override
    public void close() throws Exception {
        database.close();
    }
}
