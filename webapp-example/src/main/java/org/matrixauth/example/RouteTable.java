package org.matrixauth.example;

import static org.matrixauth.example.Endpoint.Served.ALWAYS;
import static org.matrixauth.example.Endpoint.Served.DELEGATED;
import static org.matrixauth.example.Endpoint.Served.UNDELEGATED;

import java.util.List;
import java.util.stream.Stream;

/**
 * Every endpoint the example serves, what each needs from the filter and when it exists: the one
 * place a new endpoint is added. Each servlet dispatches its part of this table (the part below
 * its mapping in web.xml); {@link RouteCheck} fails the start when the filter's route rules do not
 * give an endpoint exactly what it declares here, so an endpoint web.xml forgets is a start-up
 * error and not, behind web.xml's catch-all {@code /** public}, a public path.
 *
 * <p>The rules stay written in web.xml, checked rather than generated from here: web.xml is where
 * a deployer reads and overrides the filter's configuration (servlet-context
 * {@code matrix_auth.routes}), and the check holds whichever rules the filter ends up with.
 */
final class RouteTable {
    private static final String CLIENT = "/_matrix/client/{r0,v3}";
    private static final String MSC2965 = "/_matrix/client/unstable/org.matrix.msc2965";

    static final List<Endpoint> VERSIONS = List.of(
            Endpoint.of("GET", "/_matrix/client/versions", "public", ALWAYS, VersionsServlet::versions));

    /** OBS-5: Synapse's liveness answer and the library's readiness, both public. */
    static final List<Endpoint> HEALTH = List.of(
            Endpoint.of("GET", "/health", "public", ALWAYS, HealthServlet::alive),
            Endpoint.of("GET", "/health/ready", "public", ALWAYS, HealthServlet::ready));

    /**
     * With delegated authentication login and logout are the authorization server's: Synapse
     * registers neither its login nor its logout servlet then (rest/client/login.py, logout.py).
     */
    static final List<Endpoint> CLIENT_API = List.of(
            Endpoint.of("GET", CLIENT + "/account/whoami", "guest", ALWAYS, ClientApiServlet::whoami),
            Endpoint.of("GET", CLIENT + "/login", "public", UNDELEGATED, ClientApiServlet::loginFlows),
            Endpoint.of("POST", CLIENT + "/login", "public", UNDELEGATED, ClientApiServlet::login),
            Endpoint.of("POST", CLIENT + "/logout", "guest expired locked", UNDELEGATED, ClientApiServlet::logout),
            Endpoint.of("POST", CLIENT + "/logout/all", "expired locked", UNDELEGATED, ClientApiServlet::logoutAll),
            Endpoint.of("POST", CLIENT + "/register", "optional guest", ALWAYS, ClientApiServlet::register),
            // Synapse 1.50's path (v1) and today's (r0, v3, unstable).
            Endpoint.of("POST", "/_matrix/client/{v1,r0,v3,unstable}/refresh", "public", UNDELEGATED, ClientApiServlet::refresh));

    static final List<Endpoint> AUTH_METADATA = List.of(
            Endpoint.of("GET", "/_matrix/client/{v1,unstable}/auth_metadata", "public", DELEGATED, AuthMetadataServlet::metadata),
            Endpoint.of("GET", MSC2965 + "/auth_metadata", "public", DELEGATED, AuthMetadataServlet::metadata),
            Endpoint.of("GET", MSC2965 + "/auth_issuer", "public", DELEGATED, AuthMetadataServlet::issuer));

    /**
     * A user id in a path is one segment ({@code *}), as Synapse's {@code (?P<user_id>[^/]*)}. With
     * delegated authentication Synapse registers neither shared-secret registration nor "login as
     * user" (rest/admin/__init__.py: UserRegisterServlet, UserTokenRestServlet): users and tokens
     * are the authorization server's then.
     */
    static final List<Endpoint> ADMIN_API = List.of(
            Endpoint.of("GET", "/_synapse/admin/v1/register", "public", UNDELEGATED, AdminApiServlet::registrationNonce),
            Endpoint.of("POST", "/_synapse/admin/v1/register", "public", UNDELEGATED, AdminApiServlet::register),
            Endpoint.of("POST", "/_synapse/admin/v1/users/*/login", "admin", UNDELEGATED, AdminApiServlet::loginAsUser),
            Endpoint.of("GET", "/_synapse/admin/v2/users/*", "admin", ALWAYS, AdminApiServlet::getUser),
            Endpoint.of("PUT", "/_synapse/admin/v2/users/*", "admin", ALWAYS, AdminApiServlet::putUser));

    /** Only the authorization server, with the shared secret (OAU-10). */
    static final List<Endpoint> MAS_PROVISIONING = List.of(
            mas("GET", "query_user", MasUsers::queryUser),
            mas("POST", "provision_user", MasUsers::provisionUser),
            mas("GET", "is_localpart_available", MasUsers::isLocalpartAvailable),
            mas("POST", "delete_user", MasUsers::deleteUser),
            mas("POST", "reactivate_user", MasUsers::reactivateUser),
            mas("POST", "set_displayname", MasUsers::setDisplayName),
            mas("POST", "unset_displayname", MasUsers::unsetDisplayName),
            mas("POST", "allow_cross_signing_reset", MasUsers::allowCrossSigningReset),
            mas("POST", "upsert_device", MasDevices::upsertDevice),
            mas("POST", "delete_device", MasDevices::deleteDevice),
            mas("POST", "update_device_display_name", MasDevices::updateDeviceDisplayName),
            mas("POST", "sync_devices", MasDevices::syncDevices));

    static final List<Endpoint> ALL = Stream.of(VERSIONS, HEALTH, CLIENT_API, AUTH_METADATA, ADMIN_API, MAS_PROVISIONING)
            .flatMap(List::stream)
            .toList();

    private RouteTable() {}

    private static Endpoint mas(String method, String name, Endpoint.PlainHandler handler) {
        return Endpoint.of(method, "/_synapse/mas/" + name, "mas", DELEGATED, handler);
    }
}
