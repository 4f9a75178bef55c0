import Core
import Evaluation
import Foundation
import Learning

/// A proportion `successes / trials` with its 95 % Wilson score interval
/// (Evaluation's ``wilsonInterval``; an empty sample gives rate 0 and interval [0, 1]).
public struct RateEstimate: Sendable, Equatable, Codable {
    public var successes: Int
    public var trials: Int
    public var rate: Double
    public var lower: Double
    public var upper: Double

    public init(successes: Int, trials: Int) {
        self.successes = successes
        self.trials = trials
        let interval = wilsonInterval(successCount: successes, trialCount: trials)
        rate = trials > 0 ? interval.rate : 0
        lower = interval.lower
        upper = interval.upper
    }
}

/// Exact ROC AUC (Evaluation's ``rocAUC``: Mann–Whitney with ties counted half), or 0.5 when a
/// class is missing so that the feature reads as uninformative.
func singleFeatureAUC(scores: [Double], labels: [UInt8]) -> Double {
    let auc = rocAUC(scores: scores, labels: labels)
    return auc.isNaN ? 0.5 : auc
}

/// One genre against the target.
public struct GenreFinding: Sendable, Equatable {
    public var genre: String
    public var positiveUsers: Int
    public var negativeUsers: Int
    /// Users of the test file having the genre.
    public var unlabelledUsers: Int
    /// P(has genre | pos) and P(has genre | neg).
    public var presencePositive: Double
    public var presenceNegative: Double
    /// P(pos | has genre) with its Wilson interval.
    public var positiveRate: RateEstimate
    /// AUC of the presence flag alone: `½ + ½ (P(has|pos) − P(has|neg))`.
    public var presenceAUC: Double
    /// The genre's share of all pos / neg watch seconds (genre field).
    public var secondsSharePositive: Double
    public var secondsShareNegative: Double
}

/// One title or city: how much more often its viewers are pos than users overall.
public struct LiftFinding: Sendable, Equatable {
    public var name: String
    public var positiveViewers: Int
    public var negativeViewers: Int
    public var unlabelledViewers: Int
    public var positiveRate: RateEstimate
    /// `P(pos | watched) / P(pos)`, with the Wilson interval of the numerator divided by P(pos).
    public var lift: Double
    public var liftLower: Double
    public var liftUpper: Double
    public var labelledViewers: Int { positiveViewers + negativeViewers }
}

/// One simple feature's power alone.
public struct FeatureFinding: Sendable, Equatable {
    public var name: String
    public var definition: String
    /// ROC AUC of the raw value as a score for pos.
    public var auc: Double
    public var medianPositive: Double
    public var meanPositive: Double
    public var medianNegative: Double
    public var meanNegative: Double
    /// `max(AUC, 1 − AUC)`: how well the feature separates in its better direction.
    public var separation: Double { max(auc, 1 - auc) }
    /// "higher → pos" or "higher → neg".
    public var direction: String { auc >= 0.5 ? "higher → pos" : "higher → neg" }
}

/// A time profile (hours or days) by class.
public struct TimeProfile: Sendable, Equatable {
    /// Item labels (`0`…`23` or `1`…`7`).
    public var labels: [Int]
    /// Share of pos / neg users active in each item.
    public var activePositive: [Double]
    public var activeNegative: [Double]
    /// Share of pos / neg watch seconds in each item.
    public var secondsPositive: [Double]
    public var secondsNegative: [Double]
    /// P(pos | active in the item).
    public var positiveRate: [RateEstimate]
}

extension EDAStatistics {
    private func share(_ part: Int, _ whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
    private func share(_ part: Int64, _ whole: Int64) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }

    /// Every genre seen in the training file, sorted by P(pos | genre) descending.
    public func genreFindings() -> [GenreFinding] {
        var positiveSeconds: Int64 = 0, negativeSeconds: Int64 = 0
        for genre in 0 ..< genres.itemCount {
            positiveSeconds += genres.seconds(genre, .pos)
            negativeSeconds += genres.seconds(genre, .neg)
        }
        var findings: [GenreFinding] = []
        for genre in 0 ..< genres.itemCount where genres.labelledUsers(genre) > 0 {
            let pos = genres.users(genre, .pos), neg = genres.users(genre, .neg)
            let presencePositive = share(pos, trainPositiveCount)
            let presenceNegative = share(neg, trainNegativeCount)
            findings.append(GenreFinding(
                genre: genreNames[genre], positiveUsers: pos, negativeUsers: neg,
                unlabelledUsers: genres.users(genre, .unlabelled),
                presencePositive: presencePositive, presenceNegative: presenceNegative,
                positiveRate: RateEstimate(successes: pos, trials: pos + neg),
                presenceAUC: 0.5 + 0.5 * (presencePositive - presenceNegative),
                secondsSharePositive: share(genres.seconds(genre, .pos), positiveSeconds),
                secondsShareNegative: share(genres.seconds(genre, .neg), negativeSeconds)))
        }
        return findings.sorted {
            $0.positiveRate.rate != $1.positiveRate.rate
                ? $0.positiveRate.rate > $1.positiveRate.rate : $0.genre < $1.genre
        }
    }

    /// Titles or cities with at least `minimumViewers` labelled viewers, sorted by lift
    /// descending (ties: more labelled viewers first, then name).
    public func liftFindings(_ counts: ItemClassCounts, names: [String], minimumViewers: Int) -> [LiftFinding] {
        let base = positiveRate
        guard base > 0 else { return [] }
        var findings: [LiftFinding] = []
        for item in 0 ..< counts.itemCount where counts.labelledUsers(item) >= max(1, minimumViewers) {
            let pos = counts.users(item, .pos), neg = counts.users(item, .neg)
            let rate = RateEstimate(successes: pos, trials: pos + neg)
            findings.append(LiftFinding(
                name: names[item], positiveViewers: pos, negativeViewers: neg,
                unlabelledViewers: counts.users(item, .unlabelled), positiveRate: rate,
                lift: rate.rate / base, liftLower: rate.lower / base, liftUpper: rate.upper / base))
        }
        return findings.sorted {
            if $0.lift != $1.lift { return $0.lift > $1.lift }
            if $0.labelledViewers != $1.labelledViewers { return $0.labelledViewers > $1.labelledViewers }
            return $0.name < $1.name
        }
    }

    /// Viewers (both files) of every title with at least one, most popular first.
    public func titlePopularity() -> [Int] {
        var viewers: [Int] = []
        viewers.reserveCapacity(titles.itemCount)
        for title in 0 ..< titles.itemCount {
            let count = titles.allUsers(title)
            if count > 0 { viewers.append(count) }
        }
        return viewers.sorted(by: >)
    }

    /// Each simple feature's AUC alone and its class medians and means, in feature order.
    public func featureFindings() -> [FeatureFinding] {
        let labels = trainLabels
        // An unlabelled training table has no target to compare against.
        let features = userFeatures.filter { !labels.isEmpty && $0.values.count == labels.count }
        return parallelMap(count: features.count) { index in
            let feature = features[index]
            var positive: [Double] = [], negative: [Double] = []
            for (value, label) in zip(feature.values, labels) {
                if label == 1 { positive.append(value) } else { negative.append(value) }
            }
            return FeatureFinding(
                name: feature.name, definition: feature.definition,
                auc: singleFeatureAUC(scores: feature.values, labels: labels),
                medianPositive: median(positive), meanPositive: mean(positive),
                medianNegative: median(negative), meanNegative: mean(negative))
        }
    }

    /// The hour-of-day profile (hours 0…23).
    public func hourProfile() -> TimeProfile { timeProfile(hours, labels: Array(0 ..< 24)) }

    /// The day-of-week profile (days 1…7).
    public func dayProfile() -> TimeProfile { timeProfile(days, labels: Array(1 ... 7)) }

    private func timeProfile(_ counts: ItemClassCounts, labels: [Int]) -> TimeProfile {
        // Shares of the field's own total (tod and dow totals may differ by a few seconds per user).
        var positiveSeconds: Int64 = 0, negativeSeconds: Int64 = 0
        for item in labels.indices {
            positiveSeconds += counts.seconds(item, .pos)
            negativeSeconds += counts.seconds(item, .neg)
        }
        var profile = TimeProfile(labels: labels, activePositive: [], activeNegative: [],
                                  secondsPositive: [], secondsNegative: [], positiveRate: [])
        for item in labels.indices {
            let pos = counts.users(item, .pos), neg = counts.users(item, .neg)
            profile.activePositive.append(share(pos, trainPositiveCount))
            profile.activeNegative.append(share(neg, trainNegativeCount))
            profile.secondsPositive.append(share(counts.seconds(item, .pos), positiveSeconds))
            profile.secondsNegative.append(share(counts.seconds(item, .neg), negativeSeconds))
            profile.positiveRate.append(RateEstimate(successes: pos, trials: pos + neg))
        }
        return profile
    }

    /// P(pos | active in hour h and on day d), `[h][d − 1]`: the data holds only per-user hour
    /// totals and day totals, so "active in h and on d" means both totals are positive, not
    /// that the user watched in hour h of day d.
    public func hourDayPositiveRate() -> [[RateEstimate]] {
        (0 ..< 24).map { hour in
            (1 ... 7).map { day in
                let pos = hourDayUsers(hour: hour, day: day, .pos)
                let neg = hourDayUsers(hour: hour, day: day, .neg)
                return RateEstimate(successes: pos, trials: pos + neg)
            }
        }
    }
}

/// Median of `values` (mean of the two middle values for an even count); 0 when empty.
/// Expected linear time (quickselect with a median-of-three pivot) instead of a full sort.
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    var buffer = values
    let middle = buffer.count / 2
    let upper = select(&buffer, middle)
    guard buffer.count % 2 == 0 else { return upper }
    // After selecting `middle`, everything before it is ≤ it: the lower middle is their maximum.
    let lower = buffer[..<middle].max() ?? upper
    return (lower + upper) / 2
}

/// Reorders `values` so that `values[k]` is the k-th smallest, smaller-or-equal values before it
/// and greater-or-equal after it (Hoare's quickselect); returns `values[k]`.
func select(_ values: inout [Double], _ k: Int) -> Double {
    var low = 0, high = values.count - 1
    while low < high {
        let mid = low + (high - low) / 2
        // Median of three as pivot.
        let a = values[low], b = values[mid], c = values[high]
        let pivot = max(min(a, b), min(max(a, b), c))
        var i = low, j = high
        while i <= j {
            while values[i] < pivot { i += 1 }
            while values[j] > pivot { j -= 1 }
            if i <= j {
                values.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j { high = j } else if k >= i { low = i } else { break }
    }
    return values[k]
}

/// Arithmetic mean; 0 when empty.
func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}
