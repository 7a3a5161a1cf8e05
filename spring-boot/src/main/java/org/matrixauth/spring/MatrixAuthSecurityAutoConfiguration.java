package org.matrixauth.spring;

import org.matrixauth.MatrixAuth;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * With Spring Security, every {@code SecurityFilterChain} built from Spring's {@link HttpSecurity} (the
 * application's own and Spring Boot's default alike) sees the Matrix requester: {@code MatrixAuthFilter} runs before
 * the chain ({@link MatrixAuthProperties#DEFAULT_FILTER_ORDER}), and this customizer adds, inside it, the filter that
 * makes the requester the request's {@code Authentication}, so that rules such as {@code hasRole("admin")} and
 * {@code @AuthenticationPrincipal Requester} work. Requests the Matrix filter authenticated carry their token in a
 * header or the query, never in a cookie, so CSRF protection does not apply to them; Spring Security's refusals are
 * Matrix JSON. An application that configures any of these itself in its chain overrides it.
 */
@AutoConfiguration(after = MatrixAuthAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HttpSecurity.class)
@ConditionalOnBean(MatrixAuth.class)
public class MatrixAuthSecurityAutoConfiguration {
    @Bean
    public Customizer<HttpSecurity> matrixAuthHttpSecurity() {
        MatrixSecurityErrors errors = new MatrixSecurityErrors();
        return http -> http
                .addFilterAfter(new RequesterAuthenticationFilter(), SecurityContextHolderFilter.class)
                .csrf(csrf -> csrf.ignoringRequestMatchers(RequesterAuthenticationFilter::hasRequester))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors));
    }
}
