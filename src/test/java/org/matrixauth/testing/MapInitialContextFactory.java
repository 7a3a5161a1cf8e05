package org.matrixauth.testing;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * A JNDI provider for tests: {@code new InitialContext()} finds what {@link #BOUND} holds, as a
 * container's {@code java:comp/env} would. Selected with the system property
 * {@code java.naming.factory.initial}.
 */
public final class MapInitialContextFactory implements InitialContextFactory {
    public static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Context context = mock(Context.class);
        when(context.lookup(anyString())).thenAnswer(invocation -> {
            Object bound = BOUND.get(invocation.<String>getArgument(0));
            if (bound == null) {
                throw new NameNotFoundException(invocation.getArgument(0) + " is not bound");
            }
            return bound;
        });
        return context;
    }
}
