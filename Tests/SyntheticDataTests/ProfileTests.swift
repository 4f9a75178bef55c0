import Foundation
import SegmentData
import Testing
@testable import SyntheticData

/// The generated profile against `profile_targets.json` (20,000 train users; tolerances about 3 standard errors
/// or stated).
@Suite struct ProfileTests {
    let train = Fixture.train
    var positives: [SyntheticUser] { train.filter { $0.segment == .pos } }
    var negatives: [SyntheticUser] { train.filter { $0.segment == .neg } }

    @Test func positiveRateMatchesTheRealFile() {
        let rate = Double(positives.count) / Double(train.count)
        #expect(abs(rate - 0.0763) < 0.006, "pos rate \(rate)")
    }

    @Test func lowIdsHaveFewerPositives() {
        let threshold = Int(Double(train.count) * 0.325)
        func rate(_ users: ArraySlice<SyntheticUser>) -> Double {
            Double(users.filter { $0.segment == .pos }.count) / Double(users.count)
        }
        let low = rate(train[..<threshold]), high = rate(train[threshold...])
        #expect(abs(low - 0.059) < 0.012 && abs(high - 0.084) < 0.009, "low \(low) high \(high)")
        #expect(low < high)
    }

    func presence(_ genre: String, in users: [SyntheticUser]) -> Double {
        Double(users.filter { $0.genres.contains { $0.name == genre } }.count) / Double(users.count)
    }

    func positiveRate(given predicate: (SyntheticUser) -> Bool) -> Double {
        let matching = train.filter(predicate)
        return Double(matching.filter { $0.segment == .pos }.count) / Double(max(matching.count, 1))
    }

    @Test(arguments: [("Cricket", 0.563), ("Drama", 0.494), ("Romance", 0.355), ("Reality", 0.288),
                      ("TalkShow", 0.265), ("Comedy", 0.235), ("Family", 0.222), ("Action", 0.180), ("LiveTV", 0.140)])
    func majorGenrePresence(genre: String, target: Double) {
        let observed = presence(genre, in: train)
        #expect(abs(observed - target) < 0.02, "\(genre) presence \(observed), target \(target)")
    }

    @Test func cricketSplitsTheClassesAsInTheRealData() {
        // Real: 20 % of pos and 60 % of neg users watch cricket.
        let pos = presence("Cricket", in: positives), neg = presence("Cricket", in: negatives)
        #expect(abs(pos - 0.20) < 0.04 && abs(neg - 0.59) < 0.03, "pos \(pos) neg \(neg)")
    }

    @Test func positiveRateGivenGenreKeepsTheRealOrdering() {
        func rate(_ genre: String) -> Double { positiveRate { $0.genres.contains { $0.name == genre } } }
        let family = rate("Family"), romance = rate("Romance"), drama = rate("Drama"), reality = rate("Reality"),
            cricket = rate("Cricket"), liveTV = rate("LiveTV")
        #expect(family > drama && romance > drama && drama > reality && reality > cricket, "\([family, romance, drama, reality, cricket])")
        #expect(abs(family - 0.135) < 0.025 && abs(cricket - 0.027) < 0.008 && liveTV < 0.05)
    }

    @Test func titleCountsPerUserAreRightSkewedAndLowerForPositives() {
        let neg = negatives.map { Double($0.titles.count) }, pos = positives.map { Double($0.titles.count) }.sorted()
        let negMean = mean(neg), posMean = mean(pos), posMedian = pos[pos.count / 2]
        #expect(abs(negMean - 12.1) < 1.2, "neg mean \(negMean)")
        #expect(abs(posMean - 8.0) < 1.0, "pos mean \(posMean)")
        #expect((4 ... 6).contains(Int(posMedian)) && posMean > posMedian, "pos median \(posMedian)")
    }

    @Test func genresPerUserHaveMeanAboutThreeAndModeTwo() {
        let counts = train.map(\.genres.count)
        let histogram = Dictionary(grouping: counts, by: { $0 }).mapValues(\.count)
        let mode = histogram.max { $0.value < $1.value }?.key
        #expect(abs(mean(counts.map(Double.init)) - 3.3) < 0.15)
        #expect(mode == 2)
        #expect(counts.allSatisfy { $0 >= 1 })
    }

    @Test func hoursAndDaysPresence() {
        let hours = mean(train.map { Double($0.hours.count) }), days = mean(train.map { Double($0.days.count) })
        #expect(abs(hours - 7.9) < 0.4, "hours per user \(hours)")
        #expect(abs(days - 4.2) < 0.2, "days per user \(days)")
        func hourPresence(_ hour: String) -> Double { Double(train.filter { $0.hours.contains { $0.name == hour } }.count) / Double(train.count) }
        #expect(abs(hourPresence("0") - 0.292) < 0.02 && abs(hourPresence("21") - 0.533) < 0.02 && abs(hourPresence("4") - 0.065) < 0.015)
        let lateNight = positiveRate { $0.hours.contains { $0.name == "1" } }
        let evening = positiveRate { $0.hours.contains { $0.name == "20" } }
        #expect(lateNight > evening + 0.02, "P(pos | 1 h) \(lateNight), P(pos | 20 h) \(evening)")
    }

    @Test func totalWatchTimeIsLeftSkewedInLogSpace() {
        let totals = train.map { Double($0.genres.totalSeconds) }.sorted()
        let median = totals[totals.count / 2], meanTotal = mean(totals)
        #expect(abs(median / 3600 - 1.9) < 0.25, "median \(median / 3600) h")
        #expect(abs(meanTotal / 3600 - 5.9) < 0.8, "mean \(meanTotal / 3600) h")
        let logs = totals.map { log(max($0, 1)) }
        let logMean = mean(logs), logMedian = logs[logs.count / 2]
        #expect(logMean < logMedian, "left skew: mean \(logMean) < median \(logMedian)")
    }

    @Test func citiesAreManyAndLowercase() {
        let names = Set(train.flatMap { $0.cities.map(\.name) })
        #expect(names.count > 300)
        #expect(names.contains("Unknown") && names.contains("navi mumbai") && names.contains("delhi"))
        #expect(names.allSatisfy { $0 == "Unknown" || $0 == $0.lowercased() })
        #expect(names.contains { $0.contains(" ") })
    }
}
