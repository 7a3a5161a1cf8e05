package org.matrixauth.appservice;

import org.matrixauth.net.IpRanges;
import java.util.List;
import java.util.Optional;
import org.matrixauth.api.PublicApi;

/**
 * An application service as its registration file describes it (SPEC AS-8). Only what
 * authentication needs is kept; {@code hs_token}, {@code url} and {@code protocols} are
 * validated but belong to the homeserver's appservice sender, not to this filter.
 *
 * @param sender the full user id {@code @<sender_localpart>:<server_name>}
 * @param ipRangeWhitelist empty when the registration sets none (then any IP may use the token)
 */
@PublicApi
public record ApplicationService(
        String id,
        String asToken,
        String hsToken,
        String url,
        String sender,
        List<Namespace> userNamespaces,
        List<Namespace> aliasNamespaces,
        List<Namespace> roomNamespaces,
        boolean rateLimited,
        List<String> protocols,
        Optional<IpRanges> ipRangeWhitelist) {

    public ApplicationService {
        userNamespaces = List.copyOf(userNamespaces);
        aliasNamespaces = List.copyOf(aliasNamespaces);
        roomNamespaces = List.copyOf(roomNamespaces);
        protocols = List.copyOf(protocols);
    }

    /** Synapse's {@code is_interested_in_user}: the sender, or a user in a users namespace. */
    public boolean isInterestedInUser(String userId) {
        return userId.equals(sender) || isInUserNamespace(userId);
    }

    public boolean isInUserNamespace(String userId) {
        for (Namespace namespace : userNamespaces) {
            if (namespace.matches(userId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Synapse's {@code is_exclusive_user}: the sender, or a user whose first matching users
     * namespace is exclusive; nobody else may register them.
     */
    public boolean isExclusiveUser(String userId) {
        if (userId.equals(sender)) {
            return true;
        }
        for (Namespace namespace : userNamespaces) {
            if (namespace.matches(userId)) {
                return namespace.exclusive();
            }
        }
        return false;
    }

    /** AS-2: whether a request from this IP may use the token at all. */
    public boolean acceptsRequestsFrom(String clientIp) {
        return ipRangeWhitelist.map(whitelist -> whitelist.contains(clientIp)).orElse(true);
    }

    @Override
    public String toString() {
        // Never print the tokens.
        return "ApplicationService[" + id + ", sender " + sender + "]";
    }
}
