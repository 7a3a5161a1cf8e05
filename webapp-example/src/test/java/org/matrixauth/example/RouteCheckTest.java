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
    private static final Endpoint GET_USER = endpoint("GET /_synapse/admin/v2/users/*");

    /** The table's own rule lines, then web.xml's catch-all. */
    private static String routes(Stream<String> lines) {
        return Stream.concat(lines, Stream.of("/** public")).collect(Collectors.joining("\n"));
    }

    /** web.xml's rules, made from the table, without this endpoint's. */
    static String routesWithout(Endpoint left) {
        return routes(RouteTable.ALL.stream().filter(endpoint -> endpoint != left).map(Endpoint::ruleLine));
    }

    private static Endpoint endpoint(String name) {
        return RouteTable.ALL.stream().filter(endpoint -> endpoint.toString().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theTablesOwnRuleLinesGiveEveryEndpointItsRule() {
        assertEquals(List.of(), RouteCheck.problems(RouteTable.ALL, RouteRules.parse(routes(RouteTable.ALL.stream().map(Endpoint::ruleLine)))));
    }

    @Test
    @DisplayName("REQ-2: the example does not start when its routes leave a served endpoint to the catch-all")
    void aServedEndpointLeftOutOfTheRoutesFailsTheStart() throws Exception {
        Server server = new Server(0);
        server.setHandler(ExampleHomeserver.webApplication(server,
                Map.of(MatrixAuthFilter.CONTEXT_PARAM_PREFIX + RouteRules.INIT_PARAM, routesWithout(WHOAMI))));
        try {
            Exception refused = assertThrows(Exception.class, server::start);
            assertTrue(refused.getMessage().contains(
                    "GET /_matrix/client/{r0,v3}/account/whoami needs 'GET /_matrix/client/{r0,v3}/account/whoami guest'"),
                    refused.getMessage());
        } finally {
            server.stop();
        }
    }

    @Test
    void aRuleThatGivesLessOrMoreThanTheEndpointDeclaresIsRefused() {
        String weaker = routesWithout(GET_USER).replace("/** public", "GET /_synapse/admin/v2/users/* guest\n/** public");
        assertEquals(List.of("GET /_synapse/admin/v2/users/* needs 'GET /_synapse/admin/v2/users/* admin'"),
                RouteCheck.problems(RouteTable.ALL, RouteRules.parse(weaker)));
        String stricter = "GET /_matrix/client/{r0,v3}/account/whoami\n" + routesWithout(WHOAMI);
        assertEquals(List.of("GET /_matrix/client/{r0,v3}/account/whoami needs 'GET /_matrix/client/{r0,v3}/account/whoami guest'"),
                RouteCheck.problems(RouteTable.ALL, RouteRules.parse(stricter)));
    }

    @Test
    void aHeadRuleApartFromTheGetOneIsRefused() {
        String headPublic = "HEAD /_matrix/client/v3/account/whoami public\n" + routes(RouteTable.ALL.stream().map(Endpoint::ruleLine));
        assertEquals(List.of("GET /_matrix/client/{r0,v3}/account/whoami needs 'GET /_matrix/client/{r0,v3}/account/whoami guest'"),
                RouteCheck.problems(RouteTable.ALL, RouteRules.parse(headPublic)));
    }

    @Test
    void anEndpointServedOnlyWithoutDelegationNeedsTheFiltersUndelegatedFlag() {
        String logout = "POST /_matrix/client/{r0,v3}/logout guest expired locked";
        assertEquals(logout + " undelegated", endpoint("POST /_matrix/client/{r0,v3}/logout").ruleLine());
        assertEquals(List.of("POST /_matrix/client/{r0,v3}/logout needs '" + logout + " undelegated'"),
                RouteCheck.problems(RouteTable.ALL, RouteRules.parse(logout + "\n" + routes(RouteTable.ALL.stream().map(Endpoint::ruleLine)))));
    }
}
