import Foundation
import Testing
import Core
@testable import Evaluation

/// Slow reference: AUC by counting every (positive, negative) pair, ties worth ½.
private func pairCountingAUC(scores: [Double], labels: [UInt8]) -> Double {
    var wins = 0.0, pairs = 0.0
    for i in 0 ..< scores.count where labels[i] == 1 {
        for j in 0 ..< scores.count where labels[j] == 0 {
            pairs += 1
            if scores[i] > scores[j] { wins += 1 } else if scores[i] == scores[j] { wins += 0.5 }
        }
    }
    return wins / pairs
}

@Suite struct RankingMetricTests {
    @Test func perfectRankingHasAUCOne() {
        #expect(rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [0, 0, 1, 1]) == 1)
    }

    @Test func reversedRankingHasAUCZero() {
        #expect(rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [0, 0, 1, 1]) == 0)
    }

    @Test func allTiesGiveOneHalf() {
        #expect(rocAUC(scores: [0.3, 0.3, 0.3, 0.3, 0.3], labels: [0, 1, 0, 1, 1]) == 0.5)
    }

    @Test func singleClassIsNaN() {
        #expect(rocAUC(scores: [0.1, 0.2], labels: [1, 1]).isNaN)
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func matchesPairCountingWithTies(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let n = 300
        // Scores on a coarse grid so that many ties occur.
        let scores = (0 ..< n).map { _ in Double(generator.next() % 17) / 16 }
        let labels = scores.map { s -> UInt8 in (Double(generator.next() % 1000) / 1000 < 0.3 + 0.4 * s) ? 1 : 0 }
        let fast = rocAUC(scores: scores, labels: labels)
        let slow = pairCountingAUC(scores: scores, labels: labels)
        #expect(abs(fast - slow) < 1e-12)
        #expect(abs(rocCurve(scores: scores, labels: labels).area - slow) < 1e-12)
        #expect(abs(rocCurve(scores: scores, labels: labels, dropIntermediate: false).area - slow) < 1e-12)
    }

    @Test func rocCurveMatchesScikitLearn() {
        // sklearn.metrics.roc_curve([1,0,1,1,0,1], [0.9,0.9,0.5,0.3,0.3,0.1])
        let curve = rocCurve(scores: [0.9, 0.9, 0.5, 0.3, 0.3, 0.1], labels: [1, 0, 1, 1, 0, 1])
        #expect(curve.falsePositiveRates == [0, 0.5, 0.5, 1, 1])
        #expect(curve.truePositiveRates == [0, 0.25, 0.5, 0.75, 1])
        #expect(curve.thresholds == [.infinity, 0.9, 0.5, 0.3, 0.1])
    }

    @Test func averagePrecisionKnownAnswers() {
        // scikit-learn's documented example: 0.8333…
        #expect(abs(averagePrecision(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) - 5.0 / 6) < 1e-12)
        // By hand with a tie at 0.9: thresholds 0.9, 0.5, 0.3, 0.1 give (R, P) = (1/4, 1/2), (2/4, 2/3),
        // (3/4, 3/5), (1, 4/6): AP = ¼(1/2 + 2/3 + 3/5 + 2/3) = 0.608333…
        #expect(abs(averagePrecision(scores: [0.9, 0.9, 0.5, 0.3, 0.3, 0.1], labels: [1, 0, 1, 1, 0, 1]) - 0.6083333333333333) < 1e-12)
    }

    @Test func precisionRecallCurveMatchesScikitLearn() {
        let curve = precisionRecallCurve(scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 1, 0, 0])
        #expect(curve.thresholds == [0.1, 0.3, 0.8, 0.9])
        #expect(curve.recalls == [1, 1, 1, 0.5, 0])
        let expected = [0.5, 2.0 / 3, 1, 1, 1]
        #expect(zip(curve.precisions, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}

@Suite struct ProbabilityMetricTests {
    @Test func logLossKnownAnswer() {
        // scikit-learn's documented example (spam = 1): 0.21616…
        let value = logLoss(probabilities: [0.9, 0.1, 0.2, 0.65], labels: [1, 0, 0, 1])
        #expect(abs(value - 0.21616187468057912) < 1e-12)
    }

    @Test func logLossClipsCertainMistakes() {
        let value = logLoss(probabilities: [0, 1], labels: [1, 0])
        #expect(value.isFinite)
        #expect(abs(value - (-log(1e-15))) < 1e-3)  // 1 − 1e-15 rounds in double precision
    }

    @Test func brierKnownAnswer() {
        #expect(abs(brierScore(probabilities: [0.1, 0.9, 0.8, 0.3], labels: [0, 1, 1, 0]) - 0.0375) < 1e-12)
    }

    @Test func calibrationBinsUniform() {
        let bins = calibrationBins(probabilities: [0.05, 0.15, 0.12, 0.95, 0.91], labels: [0, 0, 1, 1, 1],
                                   binCount: 10, binning: .uniform)
        #expect(bins.map(\.count) == [1, 2, 2])
        #expect(abs(bins[1].meanPredicted - 0.135) < 1e-12)
        #expect(bins[1].observedRate == 0.5)
        #expect(bins[2].observedRate == 1)
    }

    @Test func calibrationBinsQuantileHaveEqualCounts() {
        let probabilities = (0 ..< 100).map { Double($0) / 100 }
        let labels = probabilities.map { $0 >= 0.5 ? UInt8(1) : 0 }
        let bins = calibrationBins(probabilities: probabilities, labels: labels, binCount: 4, binning: .quantile)
        #expect(bins.map(\.count) == [25, 25, 25, 25])
        #expect(bins.map(\.observedRate) == [0, 0, 1, 1])
        #expect(abs(bins[0].meanPredicted - 0.12) < 1e-12)
    }

    @Test func gainAndLiftByDecile() {
        // 10 rows, 2 positives ranked first and third.
        let scores = (0 ..< 10).map { Double(10 - $0) }
        var labels = [UInt8](repeating: 0, count: 10)
        labels[0] = 1; labels[2] = 1
        let points = cumulativeGain(scores: scores, labels: labels)
        #expect(points[0].gain == 0.5)
        #expect(abs(points[0].lift - 5) < 1e-12)
        #expect(points[1].gain == 0.5)
        #expect(points[2].gain == 1)
        #expect(points[9].gain == 1)
        #expect(abs(points[9].lift - 1) < 1e-12)
    }

    @Test func gainSplitsTiedGroupsProportionally() {
        // All tied: the top half finds half of the positives in expectation.
        let points = cumulativeGain(scores: [1, 1, 1, 1], labels: [1, 0, 1, 0], fractions: [0.5])
        #expect(points[0].positivesFound == 1)
        #expect(points[0].gain == 0.5)
    }

    @Test func wilsonIntervalKnownAnswer() {
        let interval = wilsonInterval(successCount: 8, trialCount: 10)
        #expect(abs(interval.lower - 0.49016247153664183) < 1e-9)
        #expect(abs(interval.upper - 0.9433178485456247) < 1e-9)
        #expect(interval.rate == 0.8)
        let zero = wilsonInterval(successCount: 0, trialCount: 50)
        #expect(zero.lower == 0)
        #expect(zero.upper > 0 && zero.upper < 0.1)
    }

    @Test func normalQuantileKnownValues() {
        #expect(abs(standardNormalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(standardNormalQuantile(0.01) - -2.3263478740408408) < 1e-12)
        #expect(abs(standardNormalQuantile(0.5)) < 1e-15)
    }
}

@Suite struct DeLongTests {
    /// Slow reference: V10 and V01 by explicit pair counting, then the DeLong variance.
    private func slowDeLong(scores: [Double], labels: [UInt8]) -> (auc: Double, standardError: Double) {
        let positives = scores.indices.filter { labels[$0] == 1 }
        let negatives = scores.indices.filter { labels[$0] == 0 }
        func psi(_ p: Double, _ n: Double) -> Double { p > n ? 1 : (p == n ? 0.5 : 0) }
        let v10 = positives.map { i in negatives.reduce(0.0) { $0 + psi(scores[i], scores[$1]) } / Double(negatives.count) }
        let v01 = negatives.map { j in positives.reduce(0.0) { $0 + psi(scores[$1], scores[j]) } / Double(positives.count) }
        let auc = v10.reduce(0, +) / Double(v10.count)
        func variance(_ v: [Double]) -> Double { v.reduce(0) { $0 + ($1 - auc) * ($1 - auc) } / Double(v.count - 1) }
        return (auc, (variance(v10) / Double(v10.count) + variance(v01) / Double(v01.count)).squareRoot())
    }

    @Test(arguments: [7 as UInt64, 8, 9])
    func matchesPairCountingReference(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let scores = (0 ..< 250).map { _ in Double(generator.next() % 23) / 22 }
        let labels = scores.map { s -> UInt8 in (Double(generator.next() % 1000) / 1000 < 0.2 + 0.5 * s) ? 1 : 0 }
        let (interval, standardError) = rocAUCConfidenceInterval(scores: scores, labels: labels)
        let slow = slowDeLong(scores: scores, labels: labels)
        #expect(abs(interval.rate - slow.auc) < 1e-12)
        #expect(abs(interval.rate - rocAUC(scores: scores, labels: labels)) < 1e-12)
        #expect(abs(standardError - slow.standardError) < 1e-12)
        #expect(interval.lower < interval.rate && interval.rate < interval.upper)
        #expect(abs((interval.upper - interval.lower) / 2 - 1.959963984540054 * standardError) < 1e-9)
    }
}

@Suite struct ConfusionTests {
    @Test func countsAtThreshold() {
        let counts = confusionCounts(scores: [0.9, 0.8, 0.4, 0.3, 0.2], labels: [1, 0, 1, 0, 0], threshold: 0.4)
        #expect(counts == ConfusionCounts(truePositiveCount: 2, falsePositiveCount: 1, trueNegativeCount: 2, falseNegativeCount: 0))
        #expect(abs(counts.precision - 2.0 / 3) < 1e-15)
        #expect(counts.recall == 1)
        #expect(abs(counts.f1 - 0.8) < 1e-15)
        #expect(counts.accuracy == 0.8)
    }

    @Test func bestF1MatchesExhaustiveSearch() throws {
        let scores = [0.9, 0.8, 0.4, 0.3, 0.2, 0.2]
        let labels: [UInt8] = [1, 0, 1, 0, 1, 0]
        let best = bestF1Threshold(scores: scores, labels: labels)
        let exhaustive = Set(scores).map { ($0, confusionCounts(scores: scores, labels: labels, threshold: $0).f1) }
            .max { $0.1 < $1.1 }
        #expect(best?.f1 == exhaustive?.1)
        // Ties in F1 may pick either threshold; the chosen one must reach the best F1.
        let chosen = try #require(best)
        #expect(confusionCounts(scores: scores, labels: labels, threshold: chosen.threshold).f1 == chosen.f1)
        _ = exhaustive
    }
}
