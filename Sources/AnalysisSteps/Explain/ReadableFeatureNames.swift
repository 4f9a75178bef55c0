/// A feature column's name as an advertiser would say it: `genre_share:Cricket` → "share of watch
/// time: Cricket", `hour_share:21` → "share of watch time: 21–22 h". The one mapping used by the
/// explanation charts, the reasons file and the importance section; an unknown name falls back to
/// its words (`some_new_column` → "some new column").
func readableFeatureName(_ name: String) -> String {
    let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
    if parts.count == 2 { return readableFamilyColumn(kind: parts[0], value: parts[1]) }
    if let known = readableSingleColumns[name] { return known }
    return name.replacingOccurrences(of: "_", with: " ")
}

/// Columns named `<kind>:<value>` (one per genre, hour, day, cluster, latent component).
private func readableFamilyColumn(kind: String, value: String) -> String {
    switch kind {
    case "genre_log_seconds": return "watch time (log seconds): \(value)"
    case "genre_share": return "share of watch time: \(value)"
    case "hour_share":
        guard let hour = Int(value), (0 ..< 24).contains(hour) else { return "share of watch time: hour \(value)" }
        return "share of watch time: \(hour)–\(hour + 1) h"
    case "day_share": return "share of watch time: day \(value) of the week"
    case "cluster_member": return "in viewer cluster \(value)"
    case "cluster_distance": return "distance to viewer cluster \(value)"
    case "latent_svd": return "latent taste \(value) (SVD of watch history)"
    case "latent_topic": return "share of viewing topic \(value)"
    default: return "\(kind.replacingOccurrences(of: "_", with: " ")): \(value)"
    }
}

/// Columns without a `:`: totals, time-of-day shares, diversity, title statistics, the record id.
private let readableSingleColumns: [String: String] = [
    "log_total_seconds": "total watch time (log seconds)",
    "title_count": "number of titles watched",
    "genre_count": "number of genres watched",
    "city_count": "number of cities watched from",
    "active_hour_count": "hours of the day with viewing",
    "active_day_count": "days of the week with viewing",
    "log_seconds_per_title": "watch time per title (log seconds)",
    "night_share": "share of watch time at night (0–6 h)",
    "afternoon_share": "share of watch time in the afternoon (12–18 h)",
    "evening_share": "share of watch time in the evening (18–24 h)",
    "weekend_share": "share of watch time at the weekend",
    "genre_entropy": "variety of genres (entropy)",
    "hour_entropy": "spread over hours of the day (entropy)",
    "day_entropy": "spread over days of the week (entropy)",
    "city_entropy": "spread over cities (entropy)",
    "top_title_share": "share of watch time on the favourite title",
    "top_genre_share": "share of watch time in the favourite genre",
    "title_target_weighted_mean": "pos rate of the titles watched (time-weighted)",
    "title_target_mean": "pos rate of the titles watched (mean)",
    "title_target_max": "highest pos rate among the titles watched",
    "title_target_min": "lowest pos rate among the titles watched",
    "title_target_mean_log_lift": "titles' mean log-lift for pos",
    "title_target_strong_pos_count": "titles watched that are strongly pos",
    "title_target_strong_neg_count": "titles watched that are strongly neg",
    "title_target_unseen_count": "titles watched that are new to the training folds",
    "id_number": "record id number",
]
