package org.matrixauth.servlet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.matrixauth.api.PublicApi;
import org.matrixauth.auth.AuthOptions;
import org.matrixauth.config.ConfigException;

/**
 * Per-path rules (SPEC REQ-2), written one per line, as in the filter's {@code routes} init-param:
 * <pre>
 * /_matrix/client/versions          public
 * /_matrix/client/*&#47;account/whoami  guest
 * /_matrix/client/*&#47;logout/**       expired locked
 * /_matrix/client/*&#47;register        optional guest
 * /_synapse/admin/**                admin
 * POST /_matrix/client/{r0,v3}/createRoom  guest blocking
 * </pre>
 * A pattern matches the whole path below the context path: {@code *} stands for one path
 * segment, {@code **} for any number, {@code {a,b}} for one of the literal texts listed. A line
 * may start with the HTTP methods it is for ({@code GET,POST}); it then matches only those, and
 * one naming {@code GET} also matches {@code HEAD}, as Synapse routes {@code HEAD} as {@code GET}.
 * The first matching line wins; a request that no line matches requires a token and lets nothing
 * extra through. Flags: {@code public}, {@code optional}, {@code mas} (OAU-10: only the
 * authorization server, with the shared secret; a route that exists only while authentication is
 * delegated), {@code undelegated} (a route that exists only while it is not: the homeserver's own
 * login, logout, password registration), {@code guest}, {@code expired}, {@code locked},
 * {@code admin}, {@code blocking} (SPEC section 6: refuse while the server is disabled or over its
 * MAU limit); {@code #} starts a comment.
 *
 * <p>Synapse routes before it authenticates: a path it does not serve is 404 and a served path
 * with another method 405 ({@code M_UNRECOGNIZED}), token or not. A homeserver gets that by
 * listing every method and path it serves and ending with {@code /** public}, so that the rest
 * reaches its own "unrecognized" answer unauthenticated; whatever it serves and leaves unlisted
 * is then public too.
 */
@PublicApi
public final class RouteRules {
    /** The init-param that holds the rules. */
    public static final String INIT_PARAM = "routes";

    /** A line's first word when it lists HTTP methods: upper-case names, comma-separated. */
    private static final Pattern METHODS = Pattern.compile("[A-Z]+(,[A-Z]+)*");

    private final List<Route> routes;

    private RouteRules(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** @throws ConfigException naming the line that cannot be used */
    public static RouteRules parse(String text) {
        List<Route> routes = new ArrayList<>();
        if (text == null) {
            return new RouteRules(routes);
        }
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("#.*", "").trim();
            if (!line.isEmpty()) {
                routes.add(parseLine(line, i + 1));
            }
        }
        return new RouteRules(routes);
    }

    /** @param method the request's HTTP method, as the container gives it */
    public RouteRule match(String method, String path) {
        for (Route route : routes) {
            if (route.matches(method, path)) {
                return route.rule;
            }
        }
        return RouteRule.PROTECTED;
    }

    private static Route parseLine(String line, int number) {
        String[] words = line.split("\\s+");
        int patternAt = METHODS.matcher(words[0]).matches() ? 1 : 0;
        if (patternAt == words.length) {
            throw bad(number, "a path pattern must follow the methods '" + words[0] + "'");
        }
        Set<String> methods = patternAt == 0 ? Set.of() : Set.copyOf(Arrays.asList(words[0].split(",")));
        String glob = words[patternAt];
        if (!glob.startsWith("/")) {
            throw bad(number, "the path pattern '" + glob + "' must start with '/'");
        }
        RouteRule.Access access = RouteRule.Access.REQUIRED;
        AuthOptions options = AuthOptions.STRICT;
        boolean undelegatedOnly = false;
        for (int i = patternAt + 1; i < words.length; i++) {
            switch (words[i]) {
                case "public" -> access = RouteRule.Access.PUBLIC;
                case "optional" -> access = RouteRule.Access.OPTIONAL;
                case "mas" -> access = RouteRule.Access.AUTHORIZATION_SERVER;
                case "undelegated" -> undelegatedOnly = true;
                case "guest" -> options = options.allowingGuests();
                case "expired" -> options = options.allowingExpired();
                case "locked" -> options = options.allowingLocked();
                case "admin" -> options = options.requiringAdmin();
                case "blocking" -> options = options.blocking();
                default -> throw bad(number, "unknown flag '" + words[i]
                        + "' (known: public optional mas undelegated guest expired locked admin blocking)");
            }
        }
        if (access == RouteRule.Access.AUTHORIZATION_SERVER && undelegatedOnly) {
            throw bad(number, "'mas' routes exist only while authentication is delegated: 'undelegated' contradicts it");
        }
        // Only 'undelegated' says something about a public route: when it exists.
        int flags = words.length - patternAt - 1 - (undelegatedOnly ? 1 : 0);
        if ((access == RouteRule.Access.PUBLIC || access == RouteRule.Access.AUTHORIZATION_SERVER) && flags > 1) {
            throw bad(number, "'" + (access == RouteRule.Access.PUBLIC ? "public" : "mas")
                    + "' cannot be combined with other flags");
        }
        return new Route(methods, compile(glob, number), new RouteRule(access, options, undelegatedOnly));
    }

    private static PathGlob compile(String glob, int line) {
        try {
            return PathGlob.compile(glob);
        } catch (IllegalArgumentException e) {
            throw bad(line, "the path pattern '" + glob + "' " + e.getMessage());
        }
    }

    private static ConfigException bad(int line, String problem) {
        return new ConfigException("init-param '" + INIT_PARAM + "' line " + line + ": " + problem);
    }

    /** @param methods the methods it is for; empty for all */
    private record Route(Set<String> methods, PathGlob path, RouteRule rule) {
        boolean matches(String method, String requestPath) {
            boolean methodMatches = methods.isEmpty() || methods.contains(method)
                    || method.equals("HEAD") && methods.contains("GET");
            return methodMatches && path.matches(requestPath);
        }
    }
}
