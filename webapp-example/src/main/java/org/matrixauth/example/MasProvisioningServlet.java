package org.matrixauth.example;

import java.util.List;

/**
 * {@code /_synapse/mas/*}: the provisioning API the authorization server (MAS) calls with the
 * shared secret ({@link MasUsers}, {@link MasDevices}). The filter admits only the secret there
 * (web.xml's {@code mas} rules, OAU-10); without delegation Synapse mounts none of it, and the
 * filter and this servlet answer 404 M_UNRECOGNIZED.
 */
public class MasProvisioningServlet extends MatrixServlet {
    @Override
    List<Endpoint> endpoints(Homeserver homeserver) {
        if (!homeserver.delegated) {
            return List.of();
        }
        return List.of(
                Endpoint.of("GET", "/query_user", (path, request, response, hs) -> MasUsers.queryUser(request, response, hs)),
                Endpoint.of("POST", "/provision_user",
                        (path, request, response, hs) -> MasUsers.provisionUser(request, response, hs)),
                Endpoint.of("GET", "/is_localpart_available",
                        (path, request, response, hs) -> MasUsers.isLocalpartAvailable(request, response, hs)),
                Endpoint.of("POST", "/delete_user", (path, request, response, hs) -> MasUsers.deleteUser(request, response, hs)),
                Endpoint.of("POST", "/reactivate_user",
                        (path, request, response, hs) -> MasUsers.reactivateUser(request, response, hs)),
                Endpoint.of("POST", "/set_displayname",
                        (path, request, response, hs) -> MasUsers.setDisplayName(request, response, hs)),
                Endpoint.of("POST", "/unset_displayname",
                        (path, request, response, hs) -> MasUsers.unsetDisplayName(request, response, hs)),
                Endpoint.of("POST", "/allow_cross_signing_reset",
                        (path, request, response, hs) -> MasUsers.allowCrossSigningReset(request, response, hs)),
                Endpoint.of("POST", "/upsert_device",
                        (path, request, response, hs) -> MasDevices.upsertDevice(request, response, hs)),
                Endpoint.of("POST", "/delete_device",
                        (path, request, response, hs) -> MasDevices.deleteDevice(request, response, hs)),
                Endpoint.of("POST", "/update_device_display_name",
                        (path, request, response, hs) -> MasDevices.updateDeviceDisplayName(request, response, hs)),
                Endpoint.of("POST", "/sync_devices",
                        (path, request, response, hs) -> MasDevices.syncDevices(request, response, hs)));
    }
}
