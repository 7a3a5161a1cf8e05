package org.matrixauth.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Puts {@link RequesterArgumentResolver} first among Spring MVC's argument resolvers. Registered the usual way
 * (a {@code WebMvcConfigurer}), it would come after Spring MVC's own resolver of {@code Principal} parameters, which
 * a {@code Requester} is: that one answers with {@code getUserPrincipal()}, which under Spring Security is its
 * {@code Authentication}, not the requester, and fails the request.
 */
final class RequesterArgumentRegistrar implements BeanPostProcessor {
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getArgumentResolvers() != null) {
            List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
            resolvers.add(new RequesterArgumentResolver());
            resolvers.addAll(adapter.getArgumentResolvers());
            adapter.setArgumentResolvers(resolvers);
        }
        return bean;
    }
}
