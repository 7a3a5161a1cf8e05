package org.matrixauth.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.matrixauth.PublicApi;
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
 * /_matrix/client/*&#47;sync            blocking
 * </pre>
 * A pattern matches the whole path below the context path: {@code *} stands for one path
 * segment, {@code **} for any number. The first matching line wins; a path that no line
 * matches requires a token and lets nothing extra through. Flags: {@code public},
 * {@code optional}, {@code mas} (OAU-10: only the authorization server, with the shared secret), {@code guest}, {@code expired}, {@code locked}, {@code admin}, {@code blocking}
 * (SPEC section 6: refuse while the server is disabled or over its MAU limit); {@code #}
 * starts a comment.
 */
@PublicApi
public final class RouteRules {
    /** The init-param that holds the rules. */
    public static final String INIT_PARAM = "routes";

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

    public RouteRule match(String path) {
        for (Route route : routes) {
            if (route.pattern.matcher(path).matches()) {
                return route.rule;
            }
        }
        return RouteRule.PROTECTED;
    }

    private static Route parseLine(String line, int number) {
        String[] words = line.split("\\s+");
        String glob = words[0];
        if (!glob.startsWith("/")) {
            throw bad(number, "the path pattern '" + glob + "' must start with '/'");
        }
        RouteRule.Access access = RouteRule.Access.REQUIRED;
        AuthOptions options = AuthOptions.STRICT;
        for (int i = 1; i < words.length; i++) {
            switch (words[i]) {
                case "public" -> access = RouteRule.Access.PUBLIC;
                case "optional" -> access = RouteRule.Access.OPTIONAL;
                case "mas" -> access = RouteRule.Access.AUTHORIZATION_SERVER;
                case "guest" -> options = options.allowingGuests();
                case "expired" -> options = options.allowingExpired();
                case "locked" -> options = options.allowingLocked();
                case "admin" -> options = options.requiringAdmin();
                case "blocking" -> options = options.blocking();
                default -> throw bad(number, "unknown flag '" + words[i]
                        + "' (known: public optional mas guest expired locked admin blocking)");
            }
        }
        if ((access == RouteRule.Access.PUBLIC || access == RouteRule.Access.AUTHORIZATION_SERVER) && words.length > 2) {
            throw bad(number, "'" + (access == RouteRule.Access.PUBLIC ? "public" : "mas")
                    + "' cannot be combined with other flags");
        }
        return new Route(toRegex(glob), new RouteRule(access, options));
    }

    /** {@code **} becomes {@code .*}, {@code *} becomes {@code [^/]*}, everything else is literal. */
    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int literalStart = 0;
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '*') {
                regex.append(Pattern.quote(glob.substring(literalStart, i)));
                boolean anyDepth = glob.startsWith("**", i);
                regex.append(anyDepth ? ".*" : "[^/]*");
                i += anyDepth ? 1 : 0;
                literalStart = i + 1;
            }
        }
        regex.append(Pattern.quote(glob.substring(literalStart)));
        return Pattern.compile(regex.toString());
    }

    private static ConfigException bad(int line, String problem) {
        return new ConfigException("init-param '" + INIT_PARAM + "' line " + line + ": " + problem);
    }

    private record Route(Pattern pattern, RouteRule rule) {}
}
