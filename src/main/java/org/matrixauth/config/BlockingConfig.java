package org.matrixauth.config;

import org.matrixauth.api.PublicApi;

/**
 * When the server refuses to act (SPEC section 6), in Synapse's keys.
 *
 * @param hsDisabled {@code hs_disabled}
 * @param hsDisabledMessage {@code hs_disabled_message}
 * @param adminContact {@code admin_contact}, or null
 * @param serverNoticesMxid {@code @<server_notices.system_mxid_localpart>:<server_name>}, or null
 */
@PublicApi
public record BlockingConfig(boolean hsDisabled, String hsDisabledMessage, String adminContact, String serverNoticesMxid) {

    static BlockingConfig read(Settings reader, String serverName) {
        String localpart = reader.string("server_notices.system_mxid_localpart", null);
        return new BlockingConfig(
                reader.bool("hs_disabled", false),
                reader.string("hs_disabled_message", ""),
                reader.string("admin_contact", null),
                localpart == null ? null : "@" + localpart + ":" + serverName);
    }
}
