package org.matrixauth.health;

import java.util.List;
import org.matrixauth.api.PublicApi;

/**
 * Whether this node can serve (OBS-5), with each check's finding: {@code database} (requests that
 * miss the cache need it), {@code notifications} or {@code synapse_stream} (how revocations made
 * elsewhere reach this node; while lost, cached entries live only
 * {@code auth_cache.lifetime_without_notifications}, so the node serves, slower) and, while
 * authentication is delegated, {@code authorization_server}.
 *
 * @param canServe the database answers, and so does the authorization server when delegated
 * @param checks every check, in that order
 */
@PublicApi
public record Health(boolean canServe, List<Check> checks) {
    public Health {
        checks = List.copyOf(checks);
    }

    /**
     * One check.
     *
     * @param name {@code database}, {@code notifications}, {@code synapse_stream} or {@code authorization_server}
     * @param ok whether it is as it should be
     * @param problem what is wrong, for an operator (never a token or a password); null when ok
     * @param required whether the node cannot serve while it is wrong
     */
    public record Check(String name, boolean ok, String problem, boolean required) {
        public static Check of(String name, String problem, boolean required) {
            return new Check(name, problem == null, problem, required);
        }
    }

    /** The node can serve when every required check is ok. */
    public static Health of(List<Check> checks) {
        return new Health(checks.stream().allMatch(check -> check.ok() || !check.required()), checks);
    }
}
