/// One point of a cumulative gain chart: targeting the top `fraction` of rows by score.
public struct GainPoint: Sendable, Equatable {
    /// Share of all rows targeted (0.1 = top decile).
    public var fraction: Double
    /// Positives found among them (fractional when a group of tied scores straddles the cut:
    /// the tied group contributes in proportion, i.e. the expectation over random tie order).
    public var positivesFound: Double
    /// Share of all positives found: the cumulative gain.
    public var gain: Double
    /// `gain / fraction`: how many times better than random targeting.
    public var lift: Double

    public init(fraction: Double, positivesFound: Double, gain: Double, lift: Double) {
        self.fraction = fraction
        self.positivesFound = positivesFound
        self.gain = gain
        self.lift = lift
    }
}

/// Cumulative gain and lift at each of `fractions` (default: deciles 10 %…100 %).
///
/// Rows are ranked by score, highest first; the top `fraction × n` rows are targeted.
public func cumulativeGain(scores: [Double], labels: [UInt8],
                           fractions: [Double] = (1 ... 10).map { Double($0) / 10 }) -> [GainPoint] {
    let groups = TiedScoreGroups(scores: scores, labels: labels)
    let n = scores.count
    let positiveTotal = Double(groups.totalPositiveCount)
    return fractions.map { fraction in
        precondition(fraction > 0 && fraction <= 1, "cumulativeGain: fraction \(fraction) is not in (0, 1]")
        let target = fraction * Double(n)
        var taken = 0.0, found = 0.0
        for g in 0 ..< groups.scores.count where taken < target {
            let size = Double(groups.positiveCounts[g] + groups.negativeCounts[g])
            let share = min(size, target - taken) / size
            found += share * Double(groups.positiveCounts[g])
            taken += share * size
        }
        let gain = positiveTotal > 0 ? found / positiveTotal : .nan
        return GainPoint(fraction: fraction, positivesFound: found, gain: gain, lift: gain / fraction)
    }
}
