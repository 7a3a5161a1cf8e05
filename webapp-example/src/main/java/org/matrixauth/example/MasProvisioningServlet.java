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
                Endpoint.of("GET", "/query_user", MasUsers::queryUser),
                Endpoint.of("POST", "/provision_user", MasUsers::provisionUser),
                Endpoint.of("GET", "/is_localpart_available", MasUsers::isLocalpartAvailable),
                Endpoint.of("POST", "/delete_user", MasUsers::deleteUser),
                Endpoint.of("POST", "/reactivate_user", MasUsers::reactivateUser),
                Endpoint.of("POST", "/set_displayname", MasUsers::setDisplayName),
                Endpoint.of("POST", "/unset_displayname", MasUsers::unsetDisplayName),
                Endpoint.of("POST", "/allow_cross_signing_reset", MasUsers::allowCrossSigningReset),
                Endpoint.of("POST", "/upsert_device", MasDevices::upsertDevice),
                Endpoint.of("POST", "/delete_device", MasDevices::deleteDevice),
                Endpoint.of("POST", "/update_device_display_name", MasDevices::updateDeviceDisplayName),
                Endpoint.of("POST", "/sync_devices", MasDevices::syncDevices));
    }
}
