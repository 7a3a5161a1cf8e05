package org.matrixauth.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that can hold one statement after the database has answered it: the rows are
 * read (PostgreSQL's driver fetches them all when the statement executes), but the caller does
 * not get them until {@link #release()}. So a test can make a change land between a lookup's read
 * and what the caller does with it, every time.
 */
public final class PausingDataSource implements DataSource {
    private static final long MAX_PAUSE_SECONDS = 10;

    private final DataSource delegate;
    private volatile String armedFor;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public PausingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The next statement whose SQL contains this text is held once it has executed. */
    public void pauseNext(String sqlFragment) {
        armedFor = sqlFragment;
    }

    /** Waits until the armed statement has executed and is being held. */
    public void awaitPaused() throws InterruptedException {
        if (!paused.await(MAX_PAUSE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no statement containing '" + armedFor + "' was executed");
        }
    }

    public void release() {
        released.countDown();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        return proxy(Connection.class, connection, (method, args, result) -> {
            if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
                String fragment = armedFor;
                if (fragment != null && sql.contains(fragment)) {
                    armedFor = null;
                    return holding((PreparedStatement) result);
                }
            }
            return result;
        });
    }

    private PreparedStatement holding(PreparedStatement statement) {
        return proxy(PreparedStatement.class, statement, (method, args, result) -> {
            if (method.getName().startsWith("execute")) {
                paused.countDown();
                if (!released.await(MAX_PAUSE_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("the held statement was never released");
                }
            }
            return result;
        });
    }

    /** After each call on the real object, {@code after} sees (and may replace) its result. */
    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler handler = (self, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, args, result);
        };
        return type.cast(Proxy.newProxyInstance(PausingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @FunctionalInterface
    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
