package org.matrixauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of keys the filter does not read, checked once after everything is read (SPEC
 * section 9). Strict, as HikariCP is, where the keys are the filter's own: an unknown init-param,
 * or an unknown key in one of the filter's own sections of the file ({@link Settings#ownSection}),
 * fails start-up. A homeserver.yaml is mostly Synapse's (and the homeserver's) keys, which Synapse
 * itself ignores when it does not know them: an unknown top-level key there is ignored too, but a
 * near-miss of a key the filter reads is logged, since it is most likely a misspelling of it.
 */
final class UnknownKeys {
    /**
     * Init-params that are no configuration keys: the file's name, and the filter's route rules
     * ({@code RouteRules.INIT_PARAM}, of the servlet package, which this one does not depend on).
     */
    private static final Set<String> INIT_PARAMS = Set.of(AuthConfig.CONFIG_FILE_KEY, "routes");

    private static final Logger LOG = LoggerFactory.getLogger(UnknownKeys.class);
    /** Up to two edits: a slip of the keyboard, not another word (a transposition counts two). */
    private static final LevenshteinDistance NEAR = new LevenshteinDistance(2);

    private UnknownKeys() {}

    /**
     * @param root the tree read, the file's keys with the init-params put in
     * @param initParams the keys that came from init-params rather than the file
     */
    static void check(JsonNode root, KeysRead known, Collection<String> initParams) {
        SortedMap<String, String> unknown = new TreeMap<>();
        for (String key : initParams) {
            if (!INIT_PARAMS.contains(key) && !known.isKnown(key)) {
                unknown.put(key, refusal(key, known));
            }
        }
        for (String section : known.ownSections()) {
            JsonNode node = Settings.at(root, section);
            if (node != null) {
                collectUnknown(section, node, known, unknown);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(String.join("; ", unknown.values()));
        }
        warnOfNearMisses(root, known);
    }

    /**
     * The unknown keys below a mapping, each as written in full: the same key as an init-param
     * ({@code auth_cache.a.b}) is then named once, not also as its parent.
     */
    private static void collectUnknown(String parent, JsonNode mapping, KeysRead known, Map<String, String> unknown) {
        for (Map.Entry<String, JsonNode> entry : mapping.properties()) {
            String key = parent + "." + entry.getKey();
            if (known.isKnown(key)) {
                continue;
            }
            if (entry.getValue().isObject() && !entry.getValue().isEmpty()) {
                collectUnknown(key, entry.getValue(), known, unknown);
            } else {
                unknown.put(key, refusal(key, known));
            }
        }
    }

    private static String refusal(String key, KeysRead known) {
        Set<String> candidates = known.all();
        candidates.addAll(INIT_PARAMS);
        String suggestion = nearest(key, candidates).map(near -> " (did you mean '" + near + "'?)").orElse("");
        return Settings.message(key, "is unknown" + suggestion);
    }

    private static void warnOfNearMisses(JsonNode root, KeysRead known) {
        Set<String> topLevel = known.topLevel();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String key = entry.getKey();
            // Every other init-param is known by now; these may be in the tree without being read.
            if (!topLevel.contains(key) && !INIT_PARAMS.contains(key)) {
                nearest(key, topLevel).ifPresent(near -> LOG.warn(
                        "configuration key '{}' is not one matrix-auth-filter reads and is ignored: did you mean '{}'?",
                        key, near));
            }
        }
    }

    /** The candidate fewest edits away, if any is near; the first in order among equals. */
    private static Optional<String> nearest(String key, Collection<String> candidates) {
        String nearest = null;
        int fewest = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(candidates)) {
            int distance = NEAR.apply(key, candidate); // -1: beyond the threshold
            if (distance >= 0 && distance < fewest) {
                nearest = candidate;
                fewest = distance;
            }
        }
        return Optional.ofNullable(nearest);
    }
}
