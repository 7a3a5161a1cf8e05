package org.matrixauth.auth;

/** The seed's tests, twinned: the same scenarios on real rows in H2 through the JDBI DAOs. */
class AuthH2Test extends AuthTestCase {
    @Override
    SeedFixture createFixture() {
        return new H2StoreFixture();
    }
}
