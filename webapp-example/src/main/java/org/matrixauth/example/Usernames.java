package org.matrixauth.example;

import java.util.List;
import java.util.regex.Pattern;
import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;

/**
 * Synapse's rules for the localpart of a new user, in its words: the characters it may have, and,
 * for a registration by name (MAS's provisioning, {@code is_localpart_available}), the whole of
 * its {@code check_username}.
 */
final class Usernames {
    private static final Pattern VALID_LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]*");
    /** Guests are numbered (Synapse's GUEST_USER_ID_PATTERN). */
    private static final Pattern GUEST_LOCALPART = Pattern.compile("\\d+");
    static final int MAX_USER_ID_LENGTH = 255;

    private final String serverName;
    private final HomeserverStore store;
    private final List<ApplicationService> appServices;
    /** {@code server_notices.system_mxid_localpart}'s user, or null. */
    private final String serverNoticesUser;
    /** {@code allow_underscore_prefixed_localpart}, off by default as in Synapse. */
    private final boolean allowUnderscorePrefix;

    Usernames(String serverName, HomeserverStore store, List<ApplicationService> appServices, String serverNoticesLocalpart,
              boolean allowUnderscorePrefix) {
        this.serverName = serverName;
        this.store = store;
        this.appServices = List.copyOf(appServices);
        this.serverNoticesUser = serverNoticesLocalpart == null ? null : "@" + serverNoticesLocalpart + ":" + serverName;
        this.allowUnderscorePrefix = allowUnderscorePrefix;
    }

    /** @throws MatrixException M_INVALID_USERNAME for a character Synapse lets nobody register, or a localpart over 255 */
    void requireValidLocalpart(String localpart) {
        if (localpart.isEmpty() || localpart.length() > MAX_USER_ID_LENGTH) {
            throw invalidCharacters();
        }
        requireValidCharacters(localpart);
    }

    /** Synapse's {@code check_username}, in its order. */
    void checkUsername(String localpart) {
        requireValidCharacters(localpart);
        if (localpart.isEmpty()) {
            throw invalid("User ID cannot be empty");
        }
        if (localpart.charAt(0) == '_' && !allowUnderscorePrefix) {
            throw invalid("User ID may not begin with _");
        }
        String userId = "@" + localpart + ":" + serverName;
        if (userId.equals(serverNoticesUser)) {
            throw new MatrixException(400, Errcode.M_EXCLUSIVE, "This user ID is reserved.");
        }
        for (ApplicationService service : appServices) {
            if (service.isInterestedInUser(userId) && service.isExclusiveUser(userId)) {
                throw new MatrixException(400, Errcode.M_EXCLUSIVE, "This user ID is reserved by an application service.");
            }
        }
        if (userId.length() > MAX_USER_ID_LENGTH) {
            throw invalid("User ID may not be longer than " + MAX_USER_ID_LENGTH + " characters");
        }
        if (store.userExistsIgnoringCase(userId)) {
            throw new MatrixException(400, Errcode.M_USER_IN_USE, "User ID already taken.");
        }
        if (GUEST_LOCALPART.matcher(localpart).matches()) {
            throw invalid("Numeric user IDs are reserved for guest users.");
        }
    }

    private static void requireValidCharacters(String localpart) {
        if (!VALID_LOCALPART.matcher(localpart).matches()) {
            throw invalidCharacters();
        }
    }

    private static MatrixException invalidCharacters() {
        return invalid("User ID can only contain characters a-z, 0-9, or '=_-./+'");
    }

    private static MatrixException invalid(String error) {
        return new MatrixException(400, Errcode.M_INVALID_USERNAME, error);
    }
}
