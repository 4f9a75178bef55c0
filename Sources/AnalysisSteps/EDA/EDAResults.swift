import Foundation

/// Everything the EDA section shows, derived once from ``EDAStatistics``: the charts, tables
/// and sentences all read from here.
public struct EDAResults: Sendable {
    public var statistics: EDAStatistics
    /// Genres sorted by P(pos | genre), descending.
    public var genres: [GenreFinding]
    /// Titles / cities with at least ``minimumViewers`` labelled viewers, by lift descending.
    public var titleLift: [LiftFinding]
    public var cityLift: [LiftFinding]
    /// Simple features against the target, by separation descending.
    public var features: [FeatureFinding]
    public var hourProfile: TimeProfile
    public var dayProfile: TimeProfile
    /// P(pos | active in hour h and on day d), `[h][d − 1]`.
    public var hourDayRate: [[RateEstimate]]
    /// Viewers per title (both files), most popular first.
    public var titlePopularity: [Int]
    public var minimumViewers: Int

    public init(statistics: EDAStatistics, minimumViewers: Int = 50) {
        self.statistics = statistics
        self.minimumViewers = minimumViewers
        genres = statistics.genreFindings()
        titleLift = statistics.liftFindings(statistics.titles, names: statistics.titleNames,
                                            minimumViewers: minimumViewers)
        cityLift = statistics.liftFindings(statistics.cities, names: statistics.cityNames,
                                           minimumViewers: minimumViewers)
        features = statistics.featureFindings().sorted {
            $0.separation != $1.separation ? $0.separation > $1.separation : $0.name < $1.name
        }
        hourProfile = statistics.hourProfile()
        dayProfile = statistics.dayProfile()
        hourDayRate = statistics.hourDayPositiveRate()
        titlePopularity = statistics.titlePopularity()
    }

    /// The genre whose presence alone separates the classes best (largest |AUC − ½|), among
    /// genres with at least ``minimumViewers`` labelled users.
    public var mostTellingGenre: GenreFinding? {
        genres.filter { $0.positiveUsers + $0.negativeUsers >= minimumViewers }
            .max { abs($0.presenceAUC - 0.5) < abs($1.presenceAUC - 0.5) }
            ?? genres.max { abs($0.presenceAUC - 0.5) < abs($1.presenceAUC - 0.5) }
    }

    /// The `count` findings with the lowest lift (ties: more labelled viewers first, then name).
    static func lowestLift(_ findings: [LiftFinding], count: Int) -> [LiftFinding] {
        Array(findings.sorted {
            if $0.lift != $1.lift { return $0.lift < $1.lift }
            if $0.labelledViewers != $1.labelledViewers { return $0.labelledViewers > $1.labelledViewers }
            return $0.name < $1.name
        }.prefix(count))
    }

    /// Genres with enough labelled users for a stable rate (≥ ``minimumViewers``).
    public var frequentGenres: [GenreFinding] {
        genres.filter { $0.positiveUsers + $0.negativeUsers >= minimumViewers }
    }
}
