package org.matrixauth.config;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dotted keys that {@link Settings} was asked for: what the filter knows is what it reads, so
 * no list of keys is kept apart from the code that reads them.
 */
final class KeysRead {
    // Concurrent sets: a homeserver goes on reading its own keys through Settings from any thread.
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Set<String> wholes = ConcurrentHashMap.newKeySet();
    private final Set<String> ownSections = ConcurrentHashMap.newKeySet();

    void read(String key) {
        keys.add(key);
    }

    /** A key whose value is read as a whole mapping, so that any key below it is known too. */
    void readWhole(String key) {
        wholes.add(key);
    }

    void ownSection(String key) {
        ownSections.add(key);
    }

    Set<String> ownSections() {
        return Set.copyOf(ownSections);
    }

    /** Whether the key was read, or lies below one read as a whole. */
    boolean isKnown(String key) {
        if (keys.contains(key)) {
            return true;
        }
        for (String whole : wholes) {
            if (key.equals(whole) || key.startsWith(whole + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Every key read. */
    Set<String> all() {
        Set<String> all = new HashSet<>(keys);
        all.addAll(wholes);
        return all;
    }

    /** The first part of every key read: the top-level keys of a homeserver.yaml the filter reads. */
    Set<String> topLevel() {
        Set<String> topLevel = new HashSet<>();
        for (String key : all()) {
            topLevel.add(key.split("\\.", 2)[0]);
        }
        return topLevel;
    }
}
