package org.matrixauth.auth;

/** The seed's tests on a mocked store, as the seed runs them. */
class AuthTest extends AuthTestCase {
    @Override
    SeedFixture createFixture() {
        return new MockedStoreFixture();
    }
}
