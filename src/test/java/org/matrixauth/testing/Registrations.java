package org.matrixauth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Appservice registration files, written as an operator writes them for Synapse. */
public final class Registrations {
    private Registrations() {}

    /** The IRC bridge of these tests: token as_irc_token, sender _irc_bot, users @_irc_*. */
    public static Path irc(Path dir) throws IOException {
        return Files.writeString(dir.resolve("irc.yaml"), """
                id: irc
                url: null
                as_token: as_irc_token
                hs_token: hs_irc_token
                sender_localpart: _irc_bot
                namespaces:
                  users: [{regex: '@_irc_.*', exclusive: true}]
                """);
    }
}
