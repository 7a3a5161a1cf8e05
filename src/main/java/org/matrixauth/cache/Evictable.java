package org.matrixauth.cache;

/**
 * A cache that {@link AuthCaches} tells of every change, whoever made it (this node's account
 * changes, or another's through PostgreSQL notifications): the hook by which a cache of another
 * kind (e.g. one of a token authenticator's own) drops its entries on the same events.
 * {@link AuthCaches} advances the load epoch before each call (its invalidations, not
 * {@link AuthCaches#register}), so an {@link IndexedCache} needs nothing more; a cache of another shape must itself keep a load that overlapped a call from
 * being kept (see {@link IndexedCache}).
 */
public interface Evictable {
    /** Drop every entry that depends on this subject. Called often: should cost what the entries named cost, no scan. */
    void evict(Subject subject);

    /** Drop everything: changes may have gone unseen. */
    void evictAll();
}
