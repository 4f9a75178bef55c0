import Foundation
import Learning
import SegmentData
import Testing
@testable import FeatureEngineering

@Suite struct ProfileFeatureTests {
    let data = handData()

    @Test func columnsAreNamedAndGrouped() {
        let f = ProfileFeatures(data: data)
        // 7 totals + 2 × 4 genres + 24 hours + 7 days + 4 time-of-day + 6 diversity + 1 id.
        #expect(f.train.matrix.columnCount == 7 + 8 + 24 + 7 + 4 + 6 + 1)
        #expect(f.train.matrix.columnNames == f.test.matrix.columnNames)
        #expect(f.train.columns(of: [.genreShares]).count == 4)
        #expect(f.train.column(named: "genre_share:Cricket") != nil)
        #expect(f.train.column(named: "hour_share:07") != nil)
        #expect(f.train.column(named: "id_number") != nil)
        #expect(Set(f.train.matrix.columnNames).count == f.train.matrix.columnCount)
    }

    @Test func sharesSumToOne() throws {
        let f = ProfileFeatures(data: data)
        for set in [f.train, f.test] {
            for family in [FeatureFamily.genreShares, .hourShares, .dayShares] {
                let cols = set.columns(of: [family])
                for r in 0 ..< set.matrix.rowCount {
                    let sum = cols.reduce(0.0) { $0 + Double(set.matrix[r, $1]) }
                    #expect(isClose(sum, 1), "row \(r) family \(family) sums to \(sum)")
                }
            }
        }
    }

    @Test func knownAnswers() throws {
        let f = ProfileFeatures(data: data).train
        #expect(column(f, "log_total_seconds") == [Float(log1p(400.0)), Float(log1p(60.0)), Float(log1p(120.0))])
        #expect(column(f, "title_count") == [2, 1, 2])
        #expect(column(f, "genre_count") == [2, 4, 1])
        #expect(column(f, "city_count") == [1, 1, 2])
        #expect(column(f, "active_hour_count") == [2, 4, 1])
        #expect(column(f, "active_day_count") == [4, 1, 1])
        #expect(column(f, "genre_share:Drama") == [0.75, 0.25, 0])
        #expect(column(f, "genre_log_seconds:Drama") == [Float(log1p(300.0)), Float(log1p(15.0)), 0])
        #expect(column(f, "hour_share:20") == [0.5, 0, 0])
        #expect(column(f, "day_share:7") == [0.25, 0, 1])
        #expect(column(f, "night_share") == [0, 1, 0])
        #expect(column(f, "afternoon_share") == [0, 0, 1])
        #expect(column(f, "evening_share") == [1, 0, 0])
        #expect(column(f, "weekend_share") == [0.5, 0, 1])
        // Uniform over 4 → 2 bits; over 2 → 1 bit; a single value → 0 bits.
        #expect(column(f, "genre_entropy")[1] == 2)
        #expect(column(f, "hour_entropy") == [1, 2, 0])
        #expect(column(f, "day_entropy") == [2, 0, 0])
        #expect(column(f, "city_entropy") == [0, 0, 1])
        #expect(isClose(Double(column(f, "genre_entropy")[0]), -(0.25 * log2(0.25) + 0.75 * log2(0.75))))
        #expect(column(f, "top_title_share") == [0.75, 1, 1])
        #expect(column(f, "top_genre_share") == [0.75, 0.25, 1])
        #expect(column(f, "id_number") == [1, 22, 333])
        #expect(column(ProfileFeatures(data: data).test, "id_number") == [5])
    }

    @Test func entropyOfUniformDistribution() {
        for n in [1, 2, 8, 24] {
            #expect(isClose(entropyBits([Double](repeating: 3, count: n), total: Double(3 * n)), log2(Double(n)), 1e-12))
        }
        #expect(entropyBits([0, 0], total: 0) == 0)
    }

    @Test func idNumberParsing() {
        #expect(idNumber("train-121672") == 121672)
        #expect(idNumber("test-7") == 7)
        #expect(idNumber("abc") == nil)
        #expect(idNumber("") == nil)
    }

    @Test func userWithoutViewingGetsZerosNotNaN() {
        let empty = HandUser(id: "train-9", segment: .neg, titles: [], genres: [], cities: [], hours: [:], days: [:])
        let f = ProfileFeatures(data: makeData(train: [empty], test: [])).train
        #expect(f.matrix.values.allSatisfy { !$0.isNaN })
        #expect(f.matrix.rowCount == 1)
    }

    /// The chunked parallel build equals building every user alone (more rows than one chunk).
    @Test func parallelBuildMatchesRowByRow() {
        let big = randomData(trainCount: 9000, testCount: 0, titleCount: 500, positiveRate: 0.1, seed: 7)
        let builder = ProfileFeatureBuilder(genres: big.genres)
        let all = builder.build(big.train)
        for r in stride(from: 0, to: 9000, by: 997) {
            let one = builder.build(subset(big.train, [r]))
            let row = Array(all.matrix.values[r * all.matrix.columnCount ..< (r + 1) * all.matrix.columnCount])
            #expect(row == one.matrix.values, "row \(r)")
        }
    }

    @Test func familySummaryCoversEveryFamily() {
        let f = ProfileFeatures(data: data).train
        let summary = FeatureCatalog.describe(f)
        #expect(summary.map(\.family) == [.totals, .genreSeconds, .genreShares, .hourShares, .dayShares, .timeOfDay, .diversity, .identity])
        #expect(summary.reduce(0) { $0 + $1.columnCount } == f.matrix.columnCount)
        let identity = summary.first { $0.family == .identity }
        #expect(identity?.sampleMinimum == 1 && identity?.sampleMaximum == 333)
    }

    @Test func selectingRowsAndColumns() {
        let f = ProfileFeatures(data: data).train
        let middle = f.selectingRows(1 ..< 3)
        #expect(middle.matrix.rowCount == 2)
        #expect(column(middle, "id_number") == [22, 333])
        let shares = f.selecting([.dayShares])
        #expect(shares.matrix.columnNames == (1 ... 7).map { "day_share:\($0)" })
        #expect(shares.families.allSatisfy { $0 == .dayShares })
        let both = shares.appending(f.selecting([.identity]))
        #expect(both.matrix.columnCount == 8 && column(both, "id_number") == [1, 22, 333])
    }
}
