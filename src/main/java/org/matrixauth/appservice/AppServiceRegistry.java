package org.matrixauth.appservice;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** AS-1: the registered application services, found by {@code as_token} in memory. */
public final class AppServiceRegistry {
    private final Map<String, ApplicationService> byToken = new HashMap<>();
    private final List<ApplicationService> services;

    /** @throws IllegalArgumentException on a duplicate {@code id} or {@code as_token} (AS-8) */
    public AppServiceRegistry(List<ApplicationService> services) {
        Map<String, ApplicationService> byId = new HashMap<>();
        for (ApplicationService service : services) {
            if (byId.putIfAbsent(service.id(), service) != null) {
                throw new IllegalArgumentException("duplicate application service id '" + service.id() + "'");
            }
            if (byToken.putIfAbsent(service.asToken(), service) != null) {
                throw new IllegalArgumentException("application service '" + service.id()
                        + "' uses the as_token of '" + byToken.get(service.asToken()).id() + "'");
            }
        }
        this.services = List.copyOf(services);
    }

    /** @return the service whose {@code as_token} this is, or null */
    public ApplicationService findByToken(String token) {
        return byToken.get(token);
    }

    public Collection<ApplicationService> all() {
        return services;
    }
}
