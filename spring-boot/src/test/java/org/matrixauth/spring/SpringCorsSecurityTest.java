package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.matrixauth.servlet.BrowserHeaders;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.RawHttp;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * REQ-3, WEB-1, WEB-2 under Spring Security: an application that configures CORS in its chain
 * ({@code http.cors(...)}, one allowed origin) while every request must be authenticated. The Matrix
 * filter lets the preflight through (it carries no token) and Spring Security's CORS filter answers
 * it; the chain's own rules never see it. The filter's refusals, written before the chain runs, carry
 * Synapse's headers, so the page can still read them.
 */
@SpringBootTest(classes = {WhoamiApplication.class, SpringCorsSecurityTest.Rules.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringCorsSecurityTest extends WhoamiApplicationOnH2 {
    static final String ORIGIN = "https://app.example";

    @BeforeAll
    static void seed() {
        TestUsers.seed(DB.rows());
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Rules {
        @Bean
        SecurityFilterChain everythingAuthenticated(HttpSecurity http) {
            return http.cors(Customizer.withDefaults())
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .build();
        }

        @Bean
        CorsConfigurationSource corsConfigurationSource() {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(List.of(ORIGIN));
            cors.setAllowedMethods(List.of("GET", "POST"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type"));
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/**", cors);
            return source;
        }
    }

    @Test
    void req3APreflightPassesTheMatrixFilterAndIsAnsweredBySpringSecuritysCors() throws IOException {
        RawHttp.Response preflight = RawHttp.send("127.0.0.1", port, "OPTIONS", WhoamiMatrixTestCase.WHOAMI,
                List.of("Origin: " + ORIGIN, "Access-Control-Request-Method: GET",
                        "Access-Control-Request-Headers: authorization"));
        assertEquals(200, preflight.status(), preflight.body());
        assertEquals(ORIGIN, preflight.header("Access-Control-Allow-Origin"), preflight.headers().toString());
        assertTrue(preflight.header("Access-Control-Allow-Headers").toLowerCase().contains("authorization"),
                preflight.headers().toString());
    }

    @Test
    void web2AnAuthenticatedRequestGetsTheApplicationsCorsHeaders() throws IOException {
        RawHttp.Response response = RawHttp.send("127.0.0.1", port, "GET", WhoamiMatrixTestCase.WHOAMI,
                List.of("Origin: " + ORIGIN, "Authorization: Bearer alice_token"));
        assertEquals(200, response.status(), response.body());
        assertEquals(ORIGIN, response.header("Access-Control-Allow-Origin"));
    }

    @Test
    void web2TheFiltersRefusalBeforeTheChainCarriesSynapsesHeaders() throws IOException {
        RawHttp.Response refused = RawHttp.send("127.0.0.1", port, "GET", WhoamiMatrixTestCase.WHOAMI,
                List.of("Origin: " + ORIGIN));
        assertEquals(401, refused.status(), refused.body());
        assertEquals("M_MISSING_TOKEN", refused.json().get("errcode"));
        BrowserHeaders.CORS.forEach((name, value) -> assertEquals(value, refused.header(name), name));
    }
}
