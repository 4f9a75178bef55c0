import Foundation

/// The average viewing profile of a group of users (a cluster, or everyone), in raw units.
public struct ViewingProfile: Sendable, Equatable, Codable {
    /// Mean share of seconds per genre (vocabulary order).
    public var genreShares: [Double]
    /// Mean share of seconds per hour 0…23.
    public var hourShares: [Double]
    /// Mean share of seconds per day 1…7.
    public var dayShares: [Double]
    /// Mean log(1 + total seconds).
    public var logTotalSeconds: Double

    public init(genreShares: [Double], hourShares: [Double], dayShares: [Double], logTotalSeconds: Double) {
        self.genreShares = genreShares
        self.hourShares = hourShares
        self.dayShares = dayShares
        self.logTotalSeconds = logTotalSeconds
    }

    /// Share of seconds in the hours of `range`.
    func hourShare(_ range: Range<Int>) -> Double { range.reduce(0) { $0 + hourShares[$1] } }
}

/// Words for a cluster computed from how its mean profile differs from everyone's
/// ("cricket-heavy, evenings, heavy viewers").
public enum ClusterDescriber {
    /// A genre is named when its mean share exceeds everyone's by at least this much.
    public static let genreMargin = 0.10
    /// A part of the day is named when its share exceeds everyone's by at least this much.
    public static let periodMargin = 0.05
    /// The peak hour is named when it holds at least this share of the cluster's seconds (and twice everyone's).
    public static let peakShareThreshold = 0.25
    /// The weekend is named when its share differs from everyone's by at least this much.
    public static let weekendMargin = 0.08
    /// Viewing volume is named when mean log seconds differs by at least this much (≈ ×1.65).
    public static let volumeMargin = 0.5

    static let periods: [(name: String, hours: Range<Int>)] = [
        ("nights", 0 ..< 6), ("mornings", 6 ..< 12), ("afternoons", 12 ..< 18), ("evenings", 18 ..< 24),
    ]

    /// Describes `cluster` against `overall`.
    public static func describe(_ cluster: ViewingProfile, overall: ViewingProfile, genreNames: [String]) -> String {
        var words: [String] = []
        let genreLift = zip(cluster.genreShares, overall.genreShares).map { $0 - $1 }
        let ranked = genreLift.indices.sorted { genreLift[$0] > genreLift[$1] }
        let named = ranked.prefix(2).filter { genreLift[$0] >= genreMargin && $0 < genreNames.count }
        if named.isEmpty {
            words.append("mixed genres")
        } else {
            words.append(named.map { "\(genreNames[$0].lowercased())-heavy" }.joined(separator: ", "))
        }
        let periodLift = periods.map { cluster.hourShare($0.hours) - overall.hourShare($0.hours) }
        let peakHour = cluster.hourShares.indices.max { cluster.hourShares[$0] < cluster.hourShares[$1] } ?? 0
        let peakShare = cluster.hourShares.isEmpty ? 0 : cluster.hourShares[peakHour]
        let peaked = peakShare >= peakShareThreshold && peakHour < overall.hourShares.count
            && peakShare >= 2 * overall.hourShares[peakHour]
        if let best = periodLift.indices.max(by: { periodLift[$0] < periodLift[$1] }), periodLift[best] >= periodMargin {
            words.append(periods[best].name + (peaked ? String(format: " (peak %02d h)", peakHour) : ""))
        } else {
            words.append(peaked ? String(format: "peak %02d h", peakHour) : "all day")
        }
        if cluster.dayShares.count == 7 && overall.dayShares.count == 7 {
            let weekend = cluster.dayShares[5] + cluster.dayShares[6] - overall.dayShares[5] - overall.dayShares[6]
            if weekend >= weekendMargin { words.append("weekend-leaning") }
            if weekend <= -weekendMargin { words.append("weekday-leaning") }
        }
        let volume = cluster.logTotalSeconds - overall.logTotalSeconds
        if volume >= volumeMargin { words.append("heavy viewers") }
        if volume <= -volumeMargin { words.append("light viewers") }
        return words.joined(separator: ", ")
    }
}
