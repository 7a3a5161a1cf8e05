package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;

/**
 * An endpoint of the route table that the filter's rules leave out, or give less or more than it
 * declares, stops the web application from starting; it never goes public behind the catch-all.
 */
class RouteCheckTest {
    static final Endpoint WHOAMI = endpoint("GET /_matrix/client/{r0,v3}/account/whoami");
    private static final String WHOAMI_NEEDS =
            "GET /_matrix/client/{r0,v3}/account/whoami needs 'GET /_matrix/client/{r0,v3}/account/whoami guest'";

    /** Rules as web.xml holds them, made from the table: each endpoint's line but {@code left}'s, then the catch-all. */
    static String routesWithout(Endpoint left) {
        return Stream.concat(RouteTable.ALL.stream().filter(endpoint -> endpoint != left).map(Endpoint::ruleLine),
                Stream.of("/** public")).collect(Collectors.joining("\n"));
    }

    private static Endpoint endpoint(String name) {
        return RouteTable.ALL.stream().filter(endpoint -> endpoint.toString().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> problems(String routes) {
        return RouteCheck.problems(RouteTable.ALL, RouteRules.parse(routes));
    }

    @Test
    void theTablesOwnRuleLinesGiveEveryEndpointItsRule() {
        assertEquals(List.of(), problems(routesWithout(null)));
    }

    @Test
    @DisplayName("REQ-2: the example does not start when its routes leave a served endpoint to the catch-all")
    void aServedEndpointLeftOutOfTheRoutesFailsTheStart() throws Exception {
        Server server = new Server(0);
        server.setHandler(ExampleHomeserver.webApplication(server,
                Map.of(MatrixAuthFilter.CONTEXT_PARAM_PREFIX + RouteRules.INIT_PARAM, routesWithout(WHOAMI))));
        try {
            Exception refused = assertThrows(Exception.class, server::start);
            assertTrue(refused.getMessage().contains(WHOAMI_NEEDS), refused.getMessage());
        } finally {
            server.stop();
        }
    }

    @Test
    void aRuleThatGivesLessThanTheEndpointDeclaresIsRefused() {
        String guestsForAdmins = "GET /_synapse/admin/v2/users/* guest\n" + routesWithout(null);
        assertEquals(List.of("GET /_synapse/admin/v2/users/* needs 'GET /_synapse/admin/v2/users/* admin'"),
                problems(guestsForAdmins));
    }

    @Test
    void aRuleThatGivesMoreIsRefusedToo() {
        assertEquals(List.of(WHOAMI_NEEDS), problems("GET /_matrix/client/{r0,v3}/account/whoami\n" + routesWithout(null)));
    }

    @Test
    void aHeadRuleApartFromTheGetOneIsRefused() {
        assertEquals(List.of(WHOAMI_NEEDS), problems("HEAD /_matrix/client/v3/account/whoami public\n" + routesWithout(null)));
    }

    @Test
    void anEndpointServedOnlyWithoutDelegationNeedsTheUndelegatedFlag() {
        String logout = "POST /_matrix/client/{r0,v3}/logout guest expired locked";
        assertEquals(List.of("POST /_matrix/client/{r0,v3}/logout needs '" + logout + " undelegated'"),
                problems(logout + "\n" + routesWithout(null)));
    }
}
