package org.matrixauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.servlet.RouteRules;
import org.matrixauth.testing.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration adds, and that it gives way to the application's own beans. */
class AutoConfigurationTest {
    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MatrixAuthAutoConfiguration.class));

    @Test
    void aServletApplicationGetsTheFilterAheadOfSpringSecurity() {
        web.withPropertyValues("matrix.auth.config.server_name=example.org",
                        "matrix.auth.config.database=" + H2Databases.uniqueUrl())
                .run(context -> {
                    assertThat(context).hasSingleBean(MatrixAuth.class).hasSingleBean(RouteRules.class);
                    FilterRegistrationBean<?> filter = context.getBean("matrixAuthFilter", FilterRegistrationBean.class);
                    assertThat(filter.getOrder()).isEqualTo(MatrixAuthProperties.DEFAULT_FILTER_ORDER);
                    assertThat(filter.getUrlPatterns()).containsExactly("/*");
                    assertThat(context.getBean(MatrixAuth.class).config().serverName()).isEqualTo("example.org");
                });
    }

    @Test
    void theApplicationsOwnMatrixAuthAndRulesAreUsed() {
        web.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(MatrixAuth.class).hasSingleBean(RouteRules.class);
            assertThat(context.getBean(MatrixAuth.class).config().serverName()).isEqualTo("own.example.org");
            assertThat(context.getBean(RouteRules.class)).isSameAs(OwnBeans.RULES);
        });
    }

    @Test
    void anApplicationThatIsNoServletApplicationGetsNothing() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MatrixAuthAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(MatrixAuth.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final RouteRules RULES = RouteRules.parse("/** public");

        @Bean
        MatrixAuth ownMatrixAuth() {
            return MatrixAuth.builder(AuthConfig.load(Map.of("server_name", "own.example.org",
                    "database", H2Databases.uniqueUrl()))).start();
        }

        @Bean
        RouteRules ownRules() {
            return RULES;
        }
    }
}
