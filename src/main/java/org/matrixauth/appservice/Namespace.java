package org.matrixauth.appservice;

import java.util.regex.Pattern;
import org.matrixauth.api.PublicApi;

/** One entry of a registration's {@code namespaces.users/aliases/rooms} list. */
@PublicApi
public record Namespace(Pattern regex, boolean exclusive) {

    /**
     * AS-4: matching is anchored at the start only, like Python's {@code re.match}, so
     * {@code @_irc_.*} covers {@code @_irc_bob:example.org}.
     */
    public boolean matches(String id) {
        return regex.matcher(id).lookingAt();
    }
}
