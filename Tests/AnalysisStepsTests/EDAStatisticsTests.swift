import Core
import Foundation
import Learning
import Testing
import SegmentData
@testable import AnalysisSteps

/// A tiny hand-built data set whose statistics are worked out by hand in the tests below.
///
/// train-1 pos: titles A:100 B:0, genres Drama:100, cities delhi:100, hours 0:60 13:40, day 1:100
/// train-2 pos: titles A:50, genres Drama:30 Cricket:20, cities mumbai:50, hour 22:50, day 7:50
/// train-3 neg: titles B:200 C<&>:100, genres Cricket:300, cities delhi:300, hour 20:300, days 6:100 7:200
/// train-4 neg: titles (empty), genres Cricket:10, cities delhi:10, hour 20:10, day 1:10
/// test-1:      titles C<&>:5 A:0, genres Drama:5, cities mumbai:5, hour 1:5, day 2:5
func handBuiltWatchData() -> WatchData {
    let titles = Vocabulary(names: ["A", "B", "C<&>"])
    let genres = Vocabulary(names: ["Cricket", "Drama"])
    let cities = Vocabulary(names: ["delhi", "mumbai"])
    func lists(_ rows: [[(Int32, Int32)]]) -> WatchLists {
        var result = WatchLists()
        for row in rows { result.appendUser(items: row.map(\.0), seconds: row.map(\.1)) }
        return result
    }
    func dense(_ rows: [[Int: Int32]], width: Int, base: Int) -> [Int32] {
        var values = Array(repeating: Int32(0), count: rows.count * width)
        for (user, row) in rows.enumerated() {
            for (key, seconds) in row { values[user * width + key - base] = seconds }
        }
        return values
    }
    let train = UserTable(
        ids: ["train-1", "train-2", "train-3", "train-4"],
        segments: [.pos, .pos, .neg, .neg],
        titles: lists([[(0, 100), (1, 0)], [(0, 50)], [(1, 200), (2, 100)], []]),
        genres: lists([[(1, 100)], [(1, 30), (0, 20)], [(0, 300)], [(0, 10)]]),
        cities: lists([[(0, 100)], [(1, 50)], [(0, 300)], [(0, 10)]]),
        hourSeconds: dense([[0: 60, 13: 40], [22: 50], [20: 300], [20: 10]], width: 24, base: 0),
        daySeconds: dense([[1: 100], [7: 50], [6: 100, 7: 200], [1: 10]], width: 7, base: 1))
    let test = UserTable(
        ids: ["test-1"], segments: nil,
        titles: lists([[(2, 5), (0, 0)]]), genres: lists([[(1, 5)]]), cities: lists([[(1, 5)]]),
        hourSeconds: dense([[1: 5]], width: 24, base: 0), daySeconds: dense([[2: 5]], width: 7, base: 1))
    return WatchData(train: train, test: test, titles: titles, genres: genres, cities: cities,
                     quality: LoadQuality(skippedRecordCount: ["train_data.json": 2], skippedExamples: ["bad"]))
}

@Suite struct EDAStatisticsTests {
    let statistics = EDAStatistics(data: handBuiltWatchData())

    @Test func overviewCountsUsersLabelsAndFields() throws {
        #expect(statistics.files.map(\.file) == ["train", "test"])
        let train = statistics.files[0], test = statistics.files[1]
        #expect(train.userCount == 4)
        #expect(train.positiveCount == 2)
        #expect(train.positiveRate == 0.5)
        #expect(test.positiveCount == nil)
        #expect(train.totalSeconds == 460)
        #expect(test.totalSeconds == 5)
        #expect(statistics.positiveRate == 0.5)
        #expect(statistics.skippedRecordCount == ["train_data.json": 2])

        let fields = Dictionary(uniqueKeysWithValues: train.fields.map { ($0.field, $0) })
        let titles = try #require(fields["titles"])
        #expect(titles.emptyUserCount == 1)
        #expect(titles.entryCount == 5)
        #expect(titles.zeroSecondEntryCount == 1)
        #expect(titles.distinctItemCount == 3)
        #expect(titles.coverage == 0.75)
        let genres = try #require(fields["genres"])
        #expect(genres.entryCount == 5 && genres.emptyUserCount == 0 && genres.zeroSecondEntryCount == 0)
        #expect(genres.distinctItemCount == 2)
        #expect(fields["cities"]?.entryCount == 4)
        let tod = try #require(fields["tod"])
        #expect(tod.entryCount == 5 && tod.distinctItemCount == 4 && tod.zeroSecondEntryCount == nil)
        let dow = try #require(fields["dow"])
        #expect(dow.entryCount == 5 && dow.distinctItemCount == 3)

        let testTitles = try #require(test.fields.first { $0.field == "titles" })
        #expect(testTitles.zeroSecondEntryCount == 1)
        #expect(testTitles.distinctItemCount == 2)
    }

    @Test func classTotals() {
        #expect(statistics.classUserCount == [2, 2, 1])
        #expect(statistics.classSeconds == [310, 150, 5])
    }

    @Test func genreFindingsKnownAnswers() throws {
        let findings = statistics.genreFindings()
        #expect(findings.map(\.genre) == ["Drama", "Cricket"])
        let drama = findings[0], cricket = findings[1]
        #expect(drama.positiveUsers == 2 && drama.negativeUsers == 0 && drama.unlabelledUsers == 1)
        #expect(drama.positiveRate.rate == 1)
        #expect(drama.presenceAUC == 1)
        #expect(abs(drama.secondsSharePositive - 130.0 / 150) < 1e-12)
        #expect(drama.secondsShareNegative == 0)
        #expect(cricket.positiveUsers == 1 && cricket.negativeUsers == 2)
        #expect(abs(cricket.positiveRate.rate - 1.0 / 3) < 1e-12)
        #expect(cricket.presencePositive == 0.5 && cricket.presenceNegative == 1)
        #expect(cricket.presenceAUC == 0.25)
        #expect(cricket.secondsShareNegative == 1)
    }

    @Test func titleLiftAndPopularity() {
        let findings = statistics.liftFindings(statistics.titles, names: statistics.titleNames, minimumViewers: 1)
        #expect(findings.map(\.name) == ["A", "B", "C<&>"])
        #expect(findings.map(\.lift) == [2, 1, 0])
        #expect(findings[0].positiveViewers == 2 && findings[0].unlabelledViewers == 1)
        // B's viewer with 0 seconds still counts as a viewer.
        #expect(findings[1].positiveViewers == 1 && findings[1].negativeViewers == 1)
        #expect(findings[0].liftLower < 2 && findings[0].liftUpper == 2)
        #expect(statistics.liftFindings(statistics.titles, names: statistics.titleNames, minimumViewers: 2)
            .map(\.name) == ["A", "B"])
        #expect(statistics.titlePopularity() == [3, 2, 2])
        let cityFindings = statistics.liftFindings(statistics.cities, names: statistics.cityNames, minimumViewers: 1)
        #expect(cityFindings.map(\.name) == ["mumbai", "delhi"])
        #expect(abs(cityFindings[1].lift - (1.0 / 3) / 0.5) < 1e-12)
    }

    @Test func timeProfilesAndHeatMap() {
        let hours = statistics.hourProfile()
        #expect(hours.labels == Array(0 ..< 24))
        #expect(hours.activeNegative[20] == 1)
        #expect(hours.activePositive[20] == 0)
        #expect(hours.activePositive[0] == 0.5 && hours.activePositive[13] == 0.5 && hours.activePositive[22] == 0.5)
        #expect(hours.secondsNegative[20] == 1)
        #expect(abs(hours.secondsPositive[0] - 60.0 / 150) < 1e-12)
        #expect(hours.positiveRate[20].trials == 2 && hours.positiveRate[20].rate == 0)
        #expect(hours.positiveRate[1].trials == 0) // the test user does not count

        let days = statistics.dayProfile()
        #expect(days.labels == [1, 2, 3, 4, 5, 6, 7])
        #expect(days.activePositive[0] == 0.5 && days.activeNegative[0] == 0.5)
        #expect(days.activeNegative[5] == 0.5)
        #expect(days.positiveRate[6].successes == 1 && days.positiveRate[6].trials == 2)

        let heat = statistics.hourDayPositiveRate()
        #expect(heat.count == 24 && heat.allSatisfy { $0.count == 7 })
        #expect(heat[0][0].successes == 1 && heat[0][0].trials == 1)
        #expect(heat[13][0].trials == 1)
        #expect(heat[22][6].rate == 1)
        #expect(heat[20][6].trials == 1 && heat[20][6].rate == 0)
        #expect(heat[20][0].trials == 1 && heat[20][0].rate == 0)
        #expect(heat[20][5].trials == 1)
        #expect(heat[1][1].trials == 0) // test user
        let total = heat.joined().map(\.trials).reduce(0, +)
        #expect(total == 6)
        #expect(statistics.hourDayUsers(hour: 1, day: 2, .unlabelled) == 1)
    }

    @Test func simpleFeaturesAndTheirAUC() throws {
        let features = Dictionary(uniqueKeysWithValues: statistics.featureFindings().map { ($0.name, $0) })
        #expect(statistics.feature("total watch seconds")?.values == [100, 50, 300, 10])
        #expect(statistics.feature("title entries")?.values == [2, 1, 2, 0])
        #expect(statistics.feature("record id number")?.values == [1, 2, 3, 4])
        #expect(features["total watch seconds"]?.auc == 0.5)
        #expect(features["title entries"]?.auc == 0.625)
        #expect(features["active hours"]?.auc == 0.75)
        #expect(features["night share"]?.auc == 0.75)
        #expect(features["cricket share"]?.auc == 0)
        #expect(features["cricket share"]?.direction == "higher → neg")
        #expect(features["cricket share"]?.separation == 1)
        #expect(features["days 6–7 share"]?.auc == 0.5)
        #expect(features["record id number"]?.auc == 0)
        let seconds = try #require(features["total watch seconds"])
        #expect(seconds.medianPositive == 75 && seconds.medianNegative == 155)
        #expect(seconds.meanPositive == 75 && seconds.meanNegative == 155)
        let cricket = try #require(statistics.feature("cricket share"))
        #expect(cricket.values == [0, 0.4, 1, 1])
    }
}

@Suite struct EDAHelperTests {
    @Test func wilsonIntervalKnownAnswers() {
        let half = RateEstimate(successes: 5, trials: 10)
        #expect(half.rate == 0.5)
        #expect(abs(half.lower - 0.2366) < 1e-4 && abs(half.upper - 0.7634) < 1e-4)
        let none = RateEstimate(successes: 0, trials: 10)
        #expect(abs(none.lower) < 1e-12 && abs(none.upper - 0.2775) < 1e-4)
        let empty = RateEstimate(successes: 0, trials: 0)
        #expect(empty.lower == 0 && empty.upper == 1)
    }

    @Test func singleFeatureAUCMatchesPairwiseReference() {
        var generator = SplitMix64(seed: 7)
        for _ in 0 ..< 20 {
            let count = 50 + Int(generator.next() % 200)
            // Few distinct values, so ties are frequent.
            let scores = (0 ..< count).map { _ in Double(generator.next() % 9) }
            let labels = (0 ..< count).map { _ in UInt8(generator.next() % 3 == 0 ? 1 : 0) }
            var wins = 0.0, pairs = 0.0
            for i in 0 ..< count where labels[i] == 1 {
                for j in 0 ..< count where labels[j] == 0 {
                    pairs += 1
                    if scores[i] > scores[j] { wins += 1 } else if scores[i] == scores[j] { wins += 0.5 }
                }
            }
            #expect(abs(singleFeatureAUC(scores: scores, labels: labels) - wins / pairs) < 1e-12)
        }
        #expect(singleFeatureAUC(scores: [1, 2], labels: [1, 1]) == 0.5)
    }

    @Test func medianAndMean() {
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([]) == 0 && mean([]) == 0)
        #expect(mean([1, 2, 3, 6]) == 3)
    }

    @Test func parallelScanEqualsSerialScan() {
        let data = randomWatchData(userCount: 6_000, seed: 11)
        let serial = EDAStatistics(data: data, chunkCount: 1)
        let parallel = EDAStatistics(data: data, chunkCount: 3)
        #expect(serial.files == parallel.files)
        #expect(serial.titles == parallel.titles)
        #expect(serial.genres == parallel.genres)
        #expect(serial.cities == parallel.cities)
        #expect(serial.hours == parallel.hours)
        #expect(serial.days == parallel.days)
        #expect(serial.hourDayUsers == parallel.hourDayUsers)
        #expect(serial.userFeatures == parallel.userFeatures)
        #expect(serial.userFeatures.first?.values.count == 6_000)
        // Every user counted once: the per-class users add up to the file sizes.
        #expect(serial.classUserCount.reduce(0, +) == 9_000)
        // Watch-time shares are of each field's own total, even where tod and dow totals differ.
        for profile in [serial.hourProfile(), serial.dayProfile()] {
            #expect(abs(profile.secondsPositive.reduce(0, +) - 1) < 1e-9)
            #expect(abs(profile.secondsNegative.reduce(0, +) - 1) < 1e-9)
        }
    }
}

/// Random users over small vocabularies (train `userCount`, test `userCount / 2`).
func randomWatchData(userCount: Int, seed: UInt64) -> WatchData {
    var generator = SplitMix64(seed: seed)
    let titles = Vocabulary(names: (0 ..< 300).map { "title \($0)" })
    let genres = Vocabulary(names: ["Cricket", "Drama", "Romance", "Action", "Kids"])
    let cities = Vocabulary(names: (0 ..< 40).map { "city \($0)" })
    func table(prefix: String, count: Int, labelled: Bool) -> UserTable {
        var table = UserTable()
        var segments: [Segment] = []
        for user in 0 ..< count {
            table.ids.append("\(prefix)-\(user + 1)")
            segments.append(generator.next() % 10 == 0 ? .pos : .neg)
            func row(_ vocabulary: Int, maxEntries: UInt64) -> ([Int32], [Int32]) {
                let entries = Int(generator.next() % maxEntries)
                return ((0 ..< entries).map { _ in Int32(generator.next() % UInt64(vocabulary)) },
                        (0 ..< entries).map { _ in Int32(generator.next() % 500) })
            }
            let t = row(300, maxEntries: 12)
            table.titles.appendUser(items: t.0, seconds: t.1)
            let g = row(5, maxEntries: 4)
            table.genres.appendUser(items: g.0, seconds: g.1)
            let c = row(40, maxEntries: 3)
            table.cities.appendUser(items: c.0, seconds: c.1)
            table.hourSeconds += (0 ..< 24).map { _ in generator.next() % 3 == 0 ? Int32(generator.next() % 900) : 0 }
            table.daySeconds += (0 ..< 7).map { _ in generator.next() % 2 == 0 ? Int32(generator.next() % 900) : 0 }
        }
        if labelled { table.segments = segments }
        return table
    }
    return WatchData(train: table(prefix: "train", count: userCount, labelled: true),
                     test: table(prefix: "test", count: userCount / 2, labelled: false),
                     titles: titles, genres: genres, cities: cities)
}

@Suite struct EDAAgainstLoaderSummaryTests {
    /// The field profiles agree with the loader's own ``DataSummary`` on random data.
    @Test func fieldProfilesMatchDataSummary() throws {
        let data = randomWatchData(userCount: 3_000, seed: 5)
        let summary = DataSummary(data)
        let statistics = EDAStatistics(data: data)
        for (file, table) in [("train", summary.train), ("test", summary.test)] {
            let overview = try #require(statistics.files.first { $0.file == file })
            #expect(overview.userCount == table.userCount)
            #expect(overview.positiveCount == table.positiveCount)
            for field in overview.fields {
                #expect(field.userCount - field.emptyUserCount == table.fieldCoverage[field.field])
                if let zero = field.zeroSecondEntryCount {
                    #expect(zero == table.zeroSecondEntryCount[field.field])
                    #expect(field.entryCount == table.entryCount[field.field])
                }
            }
        }
    }
}

@Suite struct EDAMedianTests {
    /// Quickselect medians agree with the sort-based definition on random data with many ties.
    @Test func medianMatchesSortedReference() {
        var generator = SplitMix64(seed: 99)
        for trial in 0 ..< 200 {
            let count = 1 + trial % 37 + Int(generator.next() % 50)
            let values = (0 ..< count).map { _ in Double(generator.next() % 7) + (trial % 3 == 0 ? 0.5 : 0) }
            let sorted = values.sorted()
            let expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
            #expect(median(values) == expected)
            var copy = values
            let k = Int(generator.next() % UInt64(count))
            #expect(select(&copy, k) == sorted[k])
            #expect(copy.sorted() == sorted)
        }
    }
}

@Suite struct EDAEdgeCaseTests {
    /// A training table without labels and an empty test table: no crash, no AUCs, no rates.
    @Test func unlabelledTrainAndEmptyTest() throws {
        var data = handBuiltWatchData()
        data.train.segments = nil
        data.test = UserTable()
        let results = EDAResults(statistics: EDAStatistics(data: data), minimumViewers: 1)
        #expect(results.statistics.files[0].positiveCount == nil)
        #expect(results.statistics.files[1].userCount == 0)
        #expect(results.features.isEmpty)
        #expect(results.titleLift.isEmpty)
        #expect(results.statistics.positiveRate == 0)
        #expect(results.hourDayRate.joined().allSatisfy { $0.trials == 0 })
        let section = EDASection(results: results, figures: [:], tablePaths: [:]).document()
        #expect(section.summary.contains("0 labelled users"))
        // The whole step (charts included) still runs and writes its section.
        let output = try runEDA(try EDAStep(minimumViewers: 1), on: data)
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("section.json").path))
    }
}

@Suite struct EDALiftOrderTests {
    @Test func tiesPreferMoreViewers() {
        func finding(_ name: String, _ pos: Int, _ neg: Int) -> LiftFinding {
            let rate = RateEstimate(successes: pos, trials: pos + neg)
            return LiftFinding(name: name, positiveViewers: pos, negativeViewers: neg, unlabelledViewers: 0,
                               positiveRate: rate, lift: rate.rate / 0.1, liftLower: rate.lower / 0.1,
                               liftUpper: rate.upper / 0.1)
        }
        let findings = [finding("a", 0, 60), finding("b", 0, 200), finding("c", 30, 30), finding("d", 5, 95)]
        #expect(EDAResults.lowestLift(findings, count: 3).map(\.name) == ["b", "a", "d"])
    }
}
