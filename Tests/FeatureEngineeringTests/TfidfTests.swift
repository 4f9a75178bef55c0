import Core
import Foundation
import Learning
import SegmentData
import Testing
@testable import FeatureEngineering

@Suite struct TfidfTests {
    let data = handData()

    func row(_ m: SparseMatrix, _ r: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        for i in m.rowOffsets[r] ..< m.rowOffsets[r + 1] { out[m.columnNames[Int(m.columnIndices[i])]] = Double(m.values[i]) }
        return out
    }

    func normalized(_ weights: [String: Double]) -> [String: Double] {
        let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return weights.mapValues { $0 / norm }
    }

    func expectClose(_ got: [String: Double], _ want: [String: Double]) {
        #expect(Set(got.keys) == Set(want.keys))
        for (k, v) in want { #expect(isClose(got[k] ?? .nan, v, 1e-6), "\(k): \(got[k] ?? .nan) vs \(v)") }
    }

    /// Presence tf, IDF on the 3 train users: df(A) = 2, df(B) = df(C) = df(D) = 1, n = 3.
    @Test func titlesByHandPresence() throws {
        let v = try TfidfVectorizer(fitOn: data, configuration: .init(fields: [.titles], termFrequency: .presence,
                                                                       idfFit: .trainOnly, minimumDocumentFrequency: 1))
        let idfA = log(4.0 / 3.0) + 1, idf1 = log(4.0 / 2.0) + 1
        #expect(v.columnNames == ["title:A", "title:B", "title:C", "title:D"])
        #expect(v.documentFrequency == [2, 1, 1, 1])
        let train = v.transform(data.train)
        expectClose(row(train, 0), normalized(["title:A": idfA, "title:B": idf1]))
        expectClose(row(train, 1), ["title:C": 1])
        expectClose(row(train, 2), normalized(["title:A": idfA, "title:D": idf1]))
        expectClose(row(v.transform(data.test), 0), ["title:B": 1])
    }

    /// Sublinear seconds tf `1 + ln(1 + s/60)` (0 seconds → 1), IDF on train + test (n = 4, df(B) = 2).
    @Test func titlesByHandLogSeconds() throws {
        let v = try TfidfVectorizer(fitOn: data, configuration: .init(fields: [.titles], minimumDocumentFrequency: 1))
        let idfA = log(5.0 / 3.0) + 1, idfB = log(5.0 / 3.0) + 1, idfD = log(5.0 / 2.0) + 1
        func tf(_ s: Double) -> Double { 1 + log1p(s / 60) }
        let train = v.transform(data.train)
        #expect(v.fittedUserCount == 4)
        expectClose(row(train, 0), normalized(["title:A": tf(100) * idfA, "title:B": tf(300) * idfB]))
        expectClose(row(train, 2), normalized(["title:A": 1 * idfA, "title:D": tf(120) * idfD]))
        // Rows are in strictly increasing column order.
        for r in 0 ..< train.rowCount {
            let cols = train.columnIndices[train.rowOffsets[r] ..< train.rowOffsets[r + 1]]
            #expect(zip(cols, cols.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test func rareTokensAreDropped() throws {
        let v = try TfidfVectorizer(fitOn: data, configuration: .init(fields: [.titles], idfFit: .trainOnly, minimumDocumentFrequency: 2))
        #expect(v.columnNames == ["title:A"])
        let m = v.transform(data.train)
        #expect(m.rowOffsets == [0, 1, 1, 2])
        #expect(m.values == [1, 1])
    }

    @Test func allTokensHaveEveryField() throws {
        let v = try TfidfVectorizer(fitOn: data, configuration: .init(fields: TfidfVectorizer.Configuration.allTokens.fields,
                                                                       minimumDocumentFrequency: 1))
        let m = v.transform(data.train)
        let r0 = row(m, 0)
        #expect(Set(r0.keys) == ["title:A", "title:B", "genre:Cricket", "genre:Drama", "city:mumbai",
                                 "hour:20", "hour:21", "day:1", "day:2", "day:6", "day:7"])
        #expect(isClose(r0.values.reduce(0) { $0 + $1 * $1 }, 1, 1e-5))
        // Hours 0–23 and days 1–7 are columns only where some user watched them.
        #expect(v.columnNames.contains("hour:13") && !v.columnNames.contains("hour:05"))
    }

    @Test func badConfigurationsAreRejected() {
        #expect(throws: TfidfVectorizer.ConfigurationError.noFields) {
            try TfidfVectorizer(fitOn: data, configuration: .init(fields: []))
        }
        #expect(throws: TfidfVectorizer.ConfigurationError.repeatedField(.titles)) {
            try TfidfVectorizer(fitOn: data, configuration: .init(fields: [.titles, .titles]))
        }
        #expect(throws: TfidfVectorizer.ConfigurationError.minimumDocumentFrequency(0)) {
            try TfidfVectorizer(fitOn: data, configuration: .init(fields: [.titles], minimumDocumentFrequency: 0))
        }
    }

    @Test func parallelTransformMatchesRowByRow() throws {
        let big = randomData(trainCount: 7000, testCount: 100, titleCount: 800, positiveRate: 0.1, seed: 3)
        let v = try TfidfVectorizer(fitOn: big, configuration: .allTokens)
        let all = v.transform(big.train)
        for r in stride(from: 0, to: 7000, by: 1231) {
            let one = v.transform(subset(big.train, [r]))
            #expect(Array(all.values[all.rowOffsets[r] ..< all.rowOffsets[r + 1]]) == one.values)
            #expect(Array(all.columnIndices[all.rowOffsets[r] ..< all.rowOffsets[r + 1]]) == one.columnIndices)
        }
    }
}
