package org.matrixauth.example;

import java.util.Locale;

/** User ids of this server, as Synapse forms and recognises them. */
final class UserIds {
    private final String serverName;

    UserIds(String serverName) {
        this.serverName = serverName;
    }

    /** A full user id as given, or {@code @<localpart lower-cased>:<server_name>}. */
    String qualify(String user) {
        return user.startsWith("@") ? user : "@" + user.toLowerCase(Locale.ROOT) + ":" + serverName;
    }

    /** Synapse's {@code UserID(localpart, server_name)}: the localpart as given, never lower-cased. */
    String localUser(String localpart) {
        return "@" + localpart + ":" + serverName;
    }

    /** A user of this server: {@code @<localpart>:<server_name>} with a localpart. */
    boolean isLocal(String userId) {
        return userId.startsWith("@") && userId.endsWith(":" + serverName) && userId.length() > serverName.length() + 2;
    }
}
