package org.matrixauth.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;

/**
 * The {@code matrix.auth.*} properties as the filter's own settings: the keys an init-param would carry, so that
 * the library checks them as strictly (an unknown key stops start-up, naming it).
 */
final class SynapseKeys {
    /** Spring binds a YAML list under a map as {@code key.0}, {@code key.1}; {@code key.0.field} is a list of mappings. */
    private static final Pattern LIST_ITEM = Pattern.compile("(.+?)\\.(\\d+)(\\..+)?");

    private SynapseKeys() {}

    static Map<String, String> of(MatrixAuthProperties properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String>> lists = new LinkedHashMap<>();
        properties.getConfig().forEach((key, value) -> {
            Matcher item = LIST_ITEM.matcher(key);
            if (!item.matches()) {
                settings.put(key, value);
            } else if (item.group(3) != null) {
                throw new ConfigException("configuration key '" + item.group(1) + "': a list of mappings cannot be"
                        + " given under matrix.auth.config; put it in the file named by matrix.auth.config-file");
            } else {
                lists.computeIfAbsent(item.group(1), list -> new TreeMap<>()).put(Integer.valueOf(item.group(2)), value);
            }
        });
        // As in an init-param, a list of strings is one comma-separated value.
        lists.forEach((key, items) -> settings.put(key, String.join(",", items.values())));
        if (properties.getConfigFile() != null) {
            settings.put(AuthConfig.CONFIG_FILE_KEY, properties.getConfigFile());
        }
        return settings;
    }
}
