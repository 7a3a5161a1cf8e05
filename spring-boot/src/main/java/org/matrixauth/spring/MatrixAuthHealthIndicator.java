package org.matrixauth.spring;

import org.matrixauth.MatrixAuth;
import org.matrixauth.health.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * OBS-5 in Spring Boot's health ({@code /actuator/health}, component {@code matrixAuth}): up while
 * the node can serve, down (503 by Boot's default mapping) while it cannot, each check a detail.
 */
public class MatrixAuthHealthIndicator implements HealthIndicator {
    private final MatrixAuth auth;

    public MatrixAuthHealthIndicator(MatrixAuth auth) {
        this.auth = auth;
    }

    @Override
    public org.springframework.boot.health.contributor.Health health() {
        Health health = auth.health();
        org.springframework.boot.health.contributor.Health.Builder answer =
                org.springframework.boot.health.contributor.Health.status(health.canServe() ? Status.UP : Status.DOWN);
        for (Health.Check check : health.checks()) {
            answer.withDetail(check.name(), check.ok() ? "ok" : check.problem());
        }
        return answer.build();
    }
}
