package org.matrixauth.config;

import java.util.List;
import java.util.Map;
import org.matrixauth.account.Threepid;
import org.matrixauth.api.PublicApi;

/**
 * Monthly active users (SPEC TRK-6, sections 6 and 7), in Synapse's keys.
 *
 * @param limitUsageByMau {@code limit_usage_by_mau}
 * @param maxMauValue {@code max_mau_value}
 * @param mauStatsOnly {@code mau_stats_only}: count without limiting
 * @param mauTrialDays {@code mau_trial_days}
 * @param appserviceTrialDays {@code mau_appservice_trial_days}: appservice id to days
 * @param reservedThreepids {@code mau_limit_reserved_threepids}
 */
@PublicApi
public record MauConfig(
        boolean limitUsageByMau,
        int maxMauValue,
        boolean mauStatsOnly,
        int mauTrialDays,
        Map<String, Integer> appserviceTrialDays,
        List<Threepid> reservedThreepids) {

    public MauConfig {
        appserviceTrialDays = Map.copyOf(appserviceTrialDays);
        reservedThreepids = List.copyOf(reservedThreepids);
    }

    public static final MauConfig OFF = new MauConfig(false, 0, false, 0, Map.of(), List.of());

    /** Whether users are counted at all. */
    public boolean tracking() {
        return limitUsageByMau || mauStatsOnly;
    }

    static MauConfig read(Settings reader) {
        return new MauConfig(
                reader.bool("limit_usage_by_mau", false),
                reader.integer("max_mau_value", 0, 0, Integer.MAX_VALUE),
                reader.bool("mau_stats_only", false),
                reader.integer("mau_trial_days", 0, 0, 36_500),
                reader.integerMap("mau_appservice_trial_days"),
                reader.threepids("mau_limit_reserved_threepids"));
    }
}
