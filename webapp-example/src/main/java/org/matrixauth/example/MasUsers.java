package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.matrixauth.account.Threepid;
import org.matrixauth.account.UserRecord;
import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users half of the provisioning API MAS calls ({@code /_synapse/mas/*}), as Synapse's
 * rest/synapse/mas/users.py answers it: users named by localpart, queried, created, changed,
 * deactivated. A change that ends or narrows sessions (deactivation, a lock) goes through the
 * library, so every node sees it at once (CACHE-2, CACHE-3).
 */
final class MasUsers {
    static final int MAX_DISPLAY_NAME_LENGTH = 256;
    static final int MAX_AVATAR_URL_LENGTH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MasUsers.class);

    private MasUsers() {}

    /** {@code GET query_user?localpart=}: the user's profile and state. */
    static void queryUser(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        String localpart = localpartParameter(request);
        if (localpart == null) {
            throw new MatrixException(400, Errcode.M_MISSING_PARAM, "Missing string query parameter 'localpart'");
        }
        String userId = homeserver.userIds.localUser(localpart);
        UserRecord user = homeserver.auth.accounts().user(userId).orElseThrow(MasUsers::notFound);
        Profiles.Profile profile = homeserver.profiles.find(userId).orElse(new Profiles.Profile(null, null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", userId);
        body.put("display_name", profile.displayName());
        body.put("avatar_url", profile.avatarUrl());
        body.put("is_suspended", false); // the example suspends nobody (Synapse's users.suspended, MSC3823)
        body.put("is_deactivated", user.deactivated());
        Json.write(response, 200, body);
    }

    /**
     * {@code POST provision_user}: creates the user (201) or updates them (200). What can be refused
     * is checked before anything is written, so a refusal changes nothing.
     */
    static void provisionUser(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        MasBody body = MasBody.read(request);
        body.requireNotBoth("unset_displayname", "set_displayname");
        body.requireNotBoth("unset_avatar_url", "set_avatar_url");
        body.requireNotBoth("unset_emails", "set_emails");
        String localpart = body.string("localpart");
        boolean unsetDisplayName = body.flagOrFalse("unset_displayname");
        String displayName = body.optionalString("set_displayname");
        boolean unsetAvatarUrl = body.flagOrFalse("unset_avatar_url");
        String avatarUrl = body.optionalString("set_avatar_url");
        boolean unsetEmails = body.flagOrFalse("unset_emails");
        List<String> emails = body.optionalStrings("set_emails");
        Boolean locked = body.optionalFlag("locked");
        body.validate();

        String userId = homeserver.userIds.localUser(localpart);
        boolean created = homeserver.auth.accounts().user(userId).isEmpty();
        if (created) {
            homeserver.usernames.checkUsername(localpart);
        } else if (displayName != null) {
            requireDisplayNameLength(displayName);
        }
        if (locked != null) {
            homeserver.requireLocking();
        }
        String newAvatarUrl = unsetAvatarUrl ? "" : avatarUrl;
        if (newAvatarUrl != null && newAvatarUrl.codePointCount(0, newAvatarUrl.length()) > MAX_AVATAR_URL_LENGTH) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Avatar URL is too long (max " + MAX_AVATAR_URL_LENGTH + ")");
        }
        List<String> newEmails = unsetEmails ? List.of() : emails;
        if (newEmails != null) {
            newEmails.forEach(Threepids::canonicalEmail);
        }

        if (created) {
            homeserver.store.createUser(userId, null, false, false, null, null, displayName != null ? displayName : localpart);
        } else if (unsetDisplayName) {
            homeserver.profiles.setDisplayName(userId, null);
        } else if (displayName != null) {
            storeDisplayName(homeserver, userId, displayName);
        }
        if (newEmails != null) {
            setEmails(homeserver, userId, newEmails);
        }
        if (locked != null) {
            homeserver.auth.accounts().setLocked(userId, locked);
        }
        if (newAvatarUrl != null) {
            homeserver.profiles.setAvatarUrl(userId, newAvatarUrl.isEmpty() ? null : newAvatarUrl);
        }
        Json.write(response, created ? 201 : 200, Map.of());
    }

    /** {@code GET is_localpart_available?localpart=}: 200 when Synapse would let it be registered. */
    static void isLocalpartAvailable(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        String localpart = localpartParameter(request);
        if (localpart == null) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Missing localpart");
        }
        homeserver.usernames.checkUsername(localpart);
        Json.write(response, 200, Map.of());
    }

    /** {@code POST delete_user}: deactivation, the profile erased too with {@code erase}. */
    static void deleteUser(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException {
        MasBody body = MasBody.read(request);
        String localpart = body.string("localpart");
        boolean erase = body.flag("erase");
        body.validate();
        homeserver.deactivation.deactivate(existingUser(homeserver, localpart), erase);
        Json.write(response, 200, Map.of());
    }

    static void reactivateUser(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        homeserver.deactivation.reactivate(existingUser(homeserver, localpartOf(request)));
        Json.write(response, 200, Map.of());
    }

    static void setDisplayName(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        MasBody body = MasBody.read(request);
        String localpart = body.string("localpart");
        String displayName = body.string("displayname");
        body.validate();
        String userId = existingUser(homeserver, localpart);
        requireDisplayNameLength(displayName);
        storeDisplayName(homeserver, userId, displayName);
        Json.write(response, 200, Map.of());
    }

    static void unsetDisplayName(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        homeserver.profiles.setDisplayName(existingUser(homeserver, localpartOf(request)), null);
        Json.write(response, 200, Map.of());
    }

    /**
     * {@code POST allow_cross_signing_reset}: Synapse lets the user replace their master
     * cross-signing key without interactive authentication for 10 minutes, and for a user without
     * one does nothing but log it. The example keeps no cross-signing keys, so every user is
     * such a user.
     */
    static void allowCrossSigningReset(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
            throws IOException {
        String userId = existingUser(homeserver, localpartOf(request));
        LOG.warn("User {} has no master cross-signing key", userId);
        Json.write(response, 200, Map.of());
    }

    /**
     * The check every change starts with in Synapse: the localpart names a user here.
     *
     * @return the user's id
     * @throws MatrixException 404 M_NOT_FOUND "User not found"
     */
    static String existingUser(Homeserver homeserver, String localpart) {
        String userId = homeserver.userIds.localUser(localpart);
        if (homeserver.auth.accounts().user(userId).isEmpty()) {
            throw notFound();
        }
        return userId;
    }

    /** A body of just {@code {"localpart": ...}}. */
    private static String localpartOf(HttpServletRequest request) throws IOException {
        MasBody body = MasBody.read(request);
        String localpart = body.string("localpart");
        body.validate();
        return localpart;
    }

    /** Synapse's {@code parse_string}: the first value, which must be ASCII; null when absent. */
    private static String localpartParameter(HttpServletRequest request) {
        String localpart = request.getParameter("localpart");
        if (localpart != null && !localpart.chars().allMatch(c -> c < 0x80)) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Query parameter 'localpart' must be ascii");
        }
        return localpart;
    }

    private static void requireDisplayNameLength(String displayName) {
        if (displayName.codePointCount(0, displayName.length()) > MAX_DISPLAY_NAME_LENGTH) {
            throw new MatrixException(400, Errcode.M_UNKNOWN, "Displayname is too long (max " + MAX_DISPLAY_NAME_LENGTH + ")");
        }
    }

    /** Synapse's {@code set_displayname}: trimmed, and the empty name (untrimmed) removes it. */
    private static void storeDisplayName(Homeserver homeserver, String userId, String displayName) {
        homeserver.profiles.setDisplayName(userId, displayName.isEmpty() ? null : displayName.strip());
    }

    /**
     * The user's email addresses become these: Synapse compares the addresses as given with those
     * stored, deletes the stored ones not given, and adds (canonicalised) the given ones not stored.
     */
    private static void setEmails(Homeserver homeserver, String userId, List<String> emails) {
        Set<String> current = new HashSet<>(homeserver.threepids.emails(userId));
        Set<String> target = new HashSet<>(emails);
        long now = System.currentTimeMillis();
        for (String address : current) {
            if (!target.contains(address)) {
                homeserver.threepids.delete(userId, new Threepid(Threepids.EMAIL, address));
            }
        }
        for (String address : target) {
            if (!current.contains(address)) {
                homeserver.threepids.add(userId, Threepids.canonicalEmail(address), now);
            }
        }
    }

    private static MatrixException notFound() {
        return new MatrixException(404, Errcode.M_NOT_FOUND, "User not found");
    }
}
