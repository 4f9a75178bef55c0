import Core
import Foundation
import Learning
import SegmentData
import Testing
@testable import FeatureEngineering

@Suite struct TitleTargetEncoderTests {
    /// Random folds of `count` rows (seeded).
    func folds(_ count: Int, _ k: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var order = Array(0 ..< count)
        order.shuffle(using: &rng)
        var out = [Int](repeating: 0, count: count)
        for (i, r) in order.enumerated() { out[r] = i % k }
        return out
    }

    /// A naive, leaking encoder (rates fitted on all train rows, the row's own label included),
    /// used to show that the leak test has the power to catch a leak.
    func inSampleWeightedMean(_ data: WatchData, smoothing m: Double) -> [Double] {
        let labels = data.train.labels ?? []
        let prior = Double(labels.reduce(0) { $0 + Int($1) }) / Double(labels.count)
        var n = [Double](repeating: 0, count: data.titles.count), p = n
        for u in 0 ..< data.train.userCount {
            for i in data.train.titles.range(of: u) {
                n[Int(data.train.titles.items[i])] += 1
                p[Int(data.train.titles.items[i])] += Double(labels[u])
            }
        }
        return (0 ..< data.train.userCount).map { u in
            let range = data.train.titles.range(of: u)
            var w = 0.0, s = 0.0
            for i in range {
                let t = Int(data.train.titles.items[i])
                let rate = (p[t] + m * prior) / (n[t] + m)
                s += Double(data.train.titles.seconds[i]) * rate
                w += Double(data.train.titles.seconds[i])
            }
            return w > 0 ? s / w : prior
        }
    }

    /// With labels independent of everything, out-of-fold features carry no signal (AUC ≈ 0.5),
    /// while the leaking in-sample encoding on the same data scores far above 0.5.
    @Test func randomLabelsGiveChanceAUC() throws {
        let data = randomData(trainCount: 6000, testCount: 500, titleCount: 4000, positiveRate: 0.2, seed: 11)
        let labels = try #require(data.train.labels)
        let encoded = try TitleTargetEncoder.outOfFold(data: data, foldOf: folds(6000, 5, seed: 1),
                                                       settings: .init(smoothing: 2))
        for name in ["title_target_weighted_mean", "title_target_mean", "title_target_max", "title_target_mean_log_lift"] {
            let auc = referenceAUC(scores: column(encoded.train, name).map(Double.init), labels: labels)
            #expect(abs(auc - 0.5) < 0.04, "\(name): OOF AUC \(auc) on random labels")
        }
        let leaking = referenceAUC(scores: inSampleWeightedMean(data, smoothing: 2), labels: labels)
        #expect(leaking > 0.6, "the in-sample encoding should leak (AUC \(leaking))")
    }

    /// A title held by a single train user says nothing about that user: its rate is the prior
    /// of the other folds, and it counts as unseen.
    @Test func singleUserTitleDoesNotRevealItsLabel() throws {
        var users: [HandUser] = []
        for i in 0 ..< 20 {
            users.append(HandUser(id: "train-\(i)", segment: i % 4 == 0 ? .pos : .neg, titles: [("common", 60)],
                                  genres: [("G", 60)], cities: [("c", 60)], hours: [1: 60], days: [1: 60]))
        }
        users.append(HandUser(id: "train-99", segment: .pos, titles: [("unique", 600)], genres: [("G", 600)],
                              cities: [("c", 600)], hours: [1: 600], days: [1: 600]))
        let data = makeData(train: users, test: [])
        let foldOf = (0 ..< users.count).map { $0 % 3 }
        let encoded = try TitleTargetEncoder.outOfFold(data: data, foldOf: foldOf, settings: .init(smoothing: 5))
        let r = users.count - 1
        let f = foldOf[r]
        let others = (0 ..< users.count).filter { foldOf[$0] != f }
        let otherPrior = Double(others.filter { users[$0].segment == .pos }.count) / Double(others.count)
        #expect(isClose(Double(column(encoded.train, "title_target_weighted_mean")[r]), otherPrior))
        #expect(column(encoded.train, "title_target_unseen_count")[r] == 1)
        #expect(column(encoded.train, "title_target_mean_log_lift")[r] == 0)
    }

    /// Two folds by hand, m = 1.
    @Test func knownAnswerTwoFolds() throws {
        func u(_ id: Int, _ s: Segment, _ titles: [(String, Int32)]) -> HandUser {
            HandUser(id: "train-\(id)", segment: s, titles: titles, genres: [("G", 1)], cities: [("c", 1)], hours: [0: 1], days: [1: 1])
        }
        let train = [u(0, .pos, [("A", 10)]), u(1, .neg, [("A", 30), ("B", 10)]),   // fold 0
                     u(2, .pos, [("A", 10)]), u(3, .neg, [("B", 10)])]              // fold 1
        let test = [HandUser(id: "test-1", segment: nil, titles: [("A", 1), ("B", 3)], genres: [("G", 1)], cities: [("c", 1)],
                             hours: [0: 1], days: [1: 1])]
        let data = makeData(train: train, test: test)
        let e = try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, 0, 1, 1], settings: .init(smoothing: 1, strongLift: 1.5, minimumSupport: 1))
        // Fold 0 rows see fold 1: prior 1/2, A: 1 pos of 1 → (1 + 0.5) / 2 = 0.75; B: 0 of 1 → 0.25.
        // Fold 1 rows see fold 0: prior 1/2, A: 1 of 2 → (1 + 0.5) / 3 = 0.5; B: 0 of 1 → 0.25.
        // Test rows see all: prior 1/2, A: 2 of 3 → 2.5 / 4 = 0.625; B: 0 of 2 → 0.5 / 3.
        let wm = column(e.train, "title_target_weighted_mean").map(Double.init)
        #expect(isClose(wm[0], 0.75))
        #expect(isClose(wm[1], (30 * 0.75 + 10 * 0.25) / 40))
        #expect(isClose(wm[2], 0.5))
        #expect(isClose(wm[3], 0.25))
        #expect(column(e.train, "title_target_max")[1] == 0.75)
        #expect(column(e.train, "title_target_min")[1] == 0.25)
        // Strongly positive: rate ≥ 1.5 × 0.5 = 0.75 (A in folds 0); strongly negative: rate ≤ 0.5 / 1.5 (B).
        #expect(column(e.train, "title_target_strong_pos_count") == [1, 1, 0, 0])
        #expect(column(e.train, "title_target_strong_neg_count") == [0, 1, 0, 1])
        #expect(isClose(Double(column(e.test, "title_target_weighted_mean")[0]), (1 * 0.625 + 3 * 0.5 / 3) / 4))
        #expect(isClose(Double(column(e.test, "title_target_mean_log_lift")[0]), (log(0.625 / 0.5) + log(1.0 / 3.0)) / 2))
        #expect(e.prior == 0.5 && e.foldCount == 2)
        #expect(try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, 0, 1, 1], smoothing: 1).train.matrix.values[0] == 0.75)
        #expect(e.train.families.allSatisfy { $0 == .titleTarget })
    }

    @Test func badArgumentsAreRejected() {
        let data = handData()
        #expect(throws: TitleTargetEncoder.EncoderError.foldCountMismatch(foldOfCount: 2, trainUserCount: 3)) {
            try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, 1])
        }
        #expect(throws: TitleTargetEncoder.EncoderError.badFold(row: 1, fold: -1)) {
            try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, -1, 1])
        }
        #expect(throws: TitleTargetEncoder.EncoderError.emptyFold(1)) {
            try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, 2, 2])
        }
        #expect(throws: TitleTargetEncoder.EncoderError.emptyFold(0)) {
            try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, 0, 0])
        }
        #expect(throws: (any Error).self) {
            try TitleTargetEncoder.outOfFold(data: data, foldOf: [0, 1, 0], settings: .init(smoothing: 0))
        }
        var unlabelled = data
        unlabelled.train.segments = nil
        #expect(throws: TitleTargetEncoder.EncoderError.unlabelledTrain) {
            try TitleTargetEncoder.outOfFold(data: unlabelled, foldOf: [0, 1, 0])
        }
    }
}
