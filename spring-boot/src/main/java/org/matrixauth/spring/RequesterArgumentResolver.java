package org.matrixauth.spring;

import org.matrixauth.auth.Requester;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a handler method's unannotated {@link Requester} parameter to the requester the filter attached to the
 * request; null on a public route, and on an optional one asked without a token. Annotated parameters
 * ({@code @AuthenticationPrincipal}, {@code @RequestAttribute}) are left to their own resolvers.
 */
final class RequesterArgumentResolver implements HandlerMethodArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Requester.class && !parameter.hasParameterAnnotations();
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer, NativeWebRequest webRequest,
                                  WebDataBinderFactory binderFactory) {
        return webRequest.getAttribute(MatrixAuthFilter.REQUESTER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }
}
