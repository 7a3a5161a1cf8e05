package org.matrixauth.observe;

import org.matrixauth.appservice.ApplicationService;
import org.matrixauth.auth.Requester;

/**
 * A request made by one party as another (OBS-4): an admin's puppet token (TOK-4), or an
 * application service naming the user (AS-3) or device (AS-5) it acts as. No token is held.
 *
 * @param actor who authenticated: the puppet token's owner, or the appservice's sender
 * @param appServiceId the appservice that authenticated; null for a puppet token
 * @param userId the user acted as
 * @param deviceId the device acted as; null when none was named
 */
public record ActingAs(Kind kind, String actor, String appServiceId, String userId, String deviceId) {
    /** The kinds, each with the name its log lines and metric label carry. */
    public enum Kind {
        PUPPET_TOKEN("puppet_token"),
        APPSERVICE_USER("appservice_user"),
        APPSERVICE_DEVICE("appservice_device");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What the requester acts as, or null when it acts as itself (most requests: nothing is allocated then). */
    public static ActingAs of(Requester requester) {
        ApplicationService service = requester.appService();
        if (service == null) {
            return requester.isPuppeted()
                    ? new ActingAs(Kind.PUPPET_TOKEN, requester.authenticatedEntity(), null, requester.userId(),
                            requester.deviceId())
                    : null;
        }
        // An appservice's requests have a device only when one was named (AS-5).
        Kind kind = requester.deviceId() != null ? Kind.APPSERVICE_DEVICE
                : requester.userId().equals(service.sender()) ? null : Kind.APPSERVICE_USER;
        return kind == null ? null
                : new ActingAs(kind, service.sender(), service.id(), requester.userId(), requester.deviceId());
    }

    /** For the audit's lines, e.g. {@code appservice_user: @_irc_bot:hs (appservice irc) acted as @_irc_alice:hs}. */
    public String describe() {
        return kind.label() + ": " + actor + (appServiceId != null ? " (appservice " + appServiceId + ")" : "")
                + " acted as " + userId + (deviceId != null ? " device " + deviceId : "");
    }

    /**
     * Who authenticated, where that is not the user acted as: the puppet token's owner, or the
     * sender of an appservice acting as one of its users; null otherwise. Allocates nothing.
     */
    public static String actorOtherThanUser(Requester requester) {
        ApplicationService service = requester.appService();
        if (service == null) {
            return requester.isPuppeted() ? requester.authenticatedEntity() : null;
        }
        return requester.userId().equals(service.sender()) ? null : service.sender();
    }
}
