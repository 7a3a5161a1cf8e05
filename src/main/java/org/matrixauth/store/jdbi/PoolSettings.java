package org.matrixauth.store.jdbi;

/**
 * How the filter's own pool connects: the JDBC URL, the credentials, and HikariCP's sizes.
 *
 * @param user null when the URL carries it
 * @param password null when the URL carries it (or none is needed)
 */
public record PoolSettings(String jdbcUrl, String user, String password, int minIdle, int maxPoolSize) {
    @Override
    public String toString() {
        return "PoolSettings[" + jdbcUrl + ", user=" + user + "]"; // never the password
    }
}
