package org.matrixauth.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.health.contributor.HealthIndicator;
import javax.sql.DataSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.metrics.MatrixAuthMeterBinder;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.servlet.RouteRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Synapse's request authentication in a servlet web application: a {@link MatrixAuth} from {@code matrix.auth.*}
 * (on the application's {@link DataSource} when it has one), the route rules, and {@link MatrixAuthFilter} in front
 * of every request, ahead of Spring Security. Each bean gives way to one the application defines. The context's
 * shutdown closes the {@link MatrixAuth} (its {@code close()}: queued client IPs are written, the pool it opened is
 * closed), after the server has stopped taking requests and before the application's {@link DataSource} closes.
 *
 * <p>With Micrometer on the classpath, the filter's metrics are a {@link MeterBinder} bean, which Spring Boot binds
 * to the application's registries (Actuator's {@code /actuator/prometheus} among them), under the names the
 * library's own Prometheus servlet uses.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(MatrixAuthProperties.class)
public class MatrixAuthAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixAuthAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    public RouteRules matrixAuthRoutes(MatrixAuthProperties properties) {
        return RouteRules.parse(String.join("\n", properties.getRoutes()));
    }

    /** Closed by the context (the inferred destroy method, {@code close()}). */
    @Bean
    @ConditionalOnMissingBean
    public MatrixAuth matrixAuth(MatrixAuthProperties properties, ObjectProvider<DataSource> dataSources) {
        MatrixAuth.Builder builder = MatrixAuth.builder(AuthConfig.load(SynapseKeys.of(properties)));
        DataSource dataSource = properties.isUseApplicationDataSource() ? dataSources.getIfAvailable() : null;
        if (dataSource != null) {
            LOG.info("matrix-auth-filter uses the application's DataSource for Synapse's tables (its 'database' key is not used)");
            builder.dataSource(dataSource);
        }
        return builder.start();
    }

    @Bean
    @ConditionalOnMissingBean(name = "matrixAuthFilter")
    public FilterRegistrationBean<MatrixAuthFilter> matrixAuthFilter(RouteRules routes, MatrixAuth auth,
                                                                     MatrixAuthProperties properties) {
        FilterRegistrationBean<MatrixAuthFilter> registration = new FilterRegistrationBean<>(new MatrixAuthFilter(auth, routes));
        registration.setName("matrixAuthFilter");
        registration.setOrder(properties.getFilterOrder());
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "matrixAuthHealthIndicator")
        MatrixAuthHealthIndicator matrixAuthHealthIndicator(MatrixAuth auth) {
            return new MatrixAuthHealthIndicator(auth);
        }
    }

    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean(MatrixAuthMeterBinder.class)
        MatrixAuthMeterBinder matrixAuthMeterBinder(MatrixAuth auth) {
            return new MatrixAuthMeterBinder(auth.metricsRegistry());
        }
    }

    /** A {@code Requester} parameter of a Spring MVC handler method is the request's requester. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RequestMappingHandlerAdapter.class)
    static class RequesterArgumentConfiguration {
        @Bean
        static RequesterArgumentRegistrar matrixAuthRequesterArgument() {
            return new RequesterArgumentRegistrar();
        }
    }
}
