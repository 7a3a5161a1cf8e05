package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.matrixauth.auth.Requester;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.RawHttp;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With Spring Security: the Matrix filter runs before its chain, so the chain's rules see the requester. The rule
 * under test lets only application services into {@code /bridge/**}, which the Matrix rules leave to any valid
 * token; were the filter after the chain, every request there would be refused as unauthenticated.
 */
@SpringBootTest(classes = {WhoamiApplication.class, SpringSecurityOrderSecurityTest.Rules.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringSecurityOrderSecurityTest extends WhoamiApplicationOnH2 {
    @BeforeAll
    static void seed() {
        TestUsers.seed(DB.rows());
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Rules {
        @Bean
        SecurityFilterChain bridgeRules(HttpSecurity http) {
            return http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/_matrix/client/versions").permitAll()
                            .requestMatchers("/bridge/**").hasRole("appservice")
                            .anyRequest().authenticated())
                    .build();
        }

        @Bean
        BridgeEndpoints bridgeEndpoints() {
            return new BridgeEndpoints();
        }
    }

    @RestController
    static class BridgeEndpoints {
        @GetMapping("/bridge/status")
        Map<String, Object> status(@AuthenticationPrincipal Requester requester, HttpServletRequest request) {
            return Map.of("user_id", requester.userId(), "in_role_appservice", request.isUserInRole("appservice"));
        }

        @PostMapping("/bridge/ping")
        Map<String, Object> ping(Requester requester) {
            return Map.of("pong", requester.userId());
        }
    }

    @Test
    void theFilterComesBeforeSpringSecuritysChain() {
        assertEquals(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 10, MatrixAuthProperties.DEFAULT_FILTER_ORDER);
    }

    @Test
    void aRuleOnTheRequestersRoleLetsTheApplicationServiceIn() throws IOException {
        RawHttp.Response response = get("/bridge/status", "as_irc_token");
        assertEquals(200, response.status(), response.body());
        assertEquals(Map.of("user_id", "@_irc_bot:example.org", "in_role_appservice", true), response.json());
    }

    @Test
    void aRuleOnTheRequestersRoleRefusesAUserInMatrixJson() throws IOException {
        RawHttp.Response response = get("/bridge/status", "alice_token");
        assertEquals(403, response.status(), response.body());
        assertEquals("M_FORBIDDEN", response.json().get("errcode"));
        assertEquals("*", response.header("access-control-allow-origin"));
    }

    @Test
    void withoutATokenTheMatrixFilterAnswersBeforeTheChain() throws IOException {
        RawHttp.Response response = get("/bridge/status", null);
        assertEquals(401, response.status(), response.body());
        assertEquals("M_MISSING_TOKEN", response.json().get("errcode"));
        assertNotNull(response.header("www-authenticate"));
    }

    @Test
    void aRequesterParameterIsTheRequesterUnderSpringSecurityToo() throws IOException {
        RawHttp.Response response = get(WhoamiMatrixTestCase.WHOAMI, "alice_token");
        assertEquals(200, response.status(), response.body());
        assertEquals(Map.of("user_id", TestUsers.ALICE, "is_guest", false, "device_id", "ALICEDEV"), response.json());
    }

    @Test
    void aPostWithAMatrixTokenNeedsNoCsrfToken() throws IOException {
        RawHttp.Response response = RawHttp.send("127.0.0.1", port, "POST", "/bridge/ping",
                List.of("Authorization: Bearer as_irc_token"));
        assertEquals(200, response.status(), response.body());
        assertEquals(Map.of("pong", "@_irc_bot:example.org"), response.json());
    }

    @Test
    void aRouteBothLetThroughNeedsNoToken() throws IOException {
        RawHttp.Response response = get("/_matrix/client/versions", null);
        assertEquals(200, response.status(), response.body());
    }

    private RawHttp.Response get(String target, String token) throws IOException {
        return RawHttp.send("127.0.0.1", port, "GET", target,
                token == null ? List.of() : List.of("Authorization: Bearer " + token));
    }
}
