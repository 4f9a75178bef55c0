import Core
import Foundation
import Learning
import SegmentData
@testable import FeatureEngineering

/// One user as written by hand: `(name, seconds)` lists and sparse hour/day seconds.
struct HandUser {
    var id: String
    var segment: Segment?
    var titles: [(String, Int32)]
    var genres: [(String, Int32)]
    var cities: [(String, Int32)]
    var hours: [Int: Int32]
    var days: [Int: Int32]
}

/// Builds a `WatchData` from hand-written users, interning names in first-seen order.
func makeData(train: [HandUser], test: [HandUser]) -> WatchData {
    var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
    func table(_ users: [HandUser], labelled: Bool) -> UserTable {
        var t = UserTable()
        t.ids = users.map(\.id)
        t.segments = labelled ? users.map { $0.segment ?? .neg } : nil
        for u in users {
            t.titles.appendUser(items: u.titles.map { titles.intern($0.0) }, seconds: u.titles.map(\.1))
            t.genres.appendUser(items: u.genres.map { genres.intern($0.0) }, seconds: u.genres.map(\.1))
            t.cities.appendUser(items: u.cities.map { cities.intern($0.0) }, seconds: u.cities.map(\.1))
            t.hourSeconds += (0 ..< 24).map { u.hours[$0] ?? 0 }
            t.daySeconds += (1 ... 7).map { u.days[$0] ?? 0 }
        }
        return t
    }
    let trainTable = table(train, labelled: true)
    let testTable = table(test, labelled: false)
    return WatchData(train: trainTable, test: testTable, titles: titles, genres: genres, cities: cities)
}

/// Three train users and one test user with easy numbers.
func handData() -> WatchData {
    let u0 = HandUser(id: "train-1", segment: .neg, titles: [("A", 100), ("B", 300)],
                      genres: [("Cricket", 100), ("Drama", 300)], cities: [("mumbai", 400)],
                      hours: [20: 200, 21: 200], days: [1: 100, 2: 100, 6: 100, 7: 100])
    let u1 = HandUser(id: "train-22", segment: .pos, titles: [("C", 60)],
                      genres: [("Cricket", 15), ("Drama", 15), ("Romance", 15), ("Comedy", 15)],
                      cities: [("delhi", 60)], hours: [0: 15, 1: 15, 2: 15, 3: 15], days: [3: 60])
    let u2 = HandUser(id: "train-333", segment: .pos, titles: [("A", 0), ("D", 120)],
                      genres: [("Comedy", 120)], cities: [("mumbai", 60), ("delhi", 60)],
                      hours: [13: 120], days: [7: 120])
    let t0 = HandUser(id: "test-5", segment: nil, titles: [("B", 10)], genres: [("Drama", 10)],
                      cities: [("mumbai", 10)], hours: [22: 10], days: [5: 10])
    return makeData(train: [u0, u1, u2], test: [t0])
}

/// Random users: 1–6 titles from a Zipf-like vocabulary of `titleCount`, 1–3 genres, a city,
/// some hours and days; labels drawn independently of everything (rate `positiveRate`).
func randomData(trainCount: Int, testCount: Int, titleCount: Int, positiveRate: Double, seed: UInt64) -> WatchData {
    var rng = SplitMix64(seed: seed)
    func user(_ id: String, labelled: Bool) -> HandUser {
        let titleEntries = Int.random(in: 1 ... 6, using: &rng)
        var titles: [(String, Int32)] = []
        var seen = Set<Int>()
        for _ in 0 ..< titleEntries {
            let r = Double.random(in: 0 ..< 1, using: &rng)
            let t = Int(Double(titleCount) * r * r * r)
            if seen.insert(t).inserted { titles.append(("T\(t)", Int32.random(in: 0 ... 3600, using: &rng))) }
        }
        let genres = (0 ..< Int.random(in: 1 ... 3, using: &rng)).map { g in ("G\(g)", Int32.random(in: 1 ... 900, using: &rng)) }
        var hours: [Int: Int32] = [:]
        for _ in 0 ..< 3 { hours[Int.random(in: 0 ..< 24, using: &rng)] = Int32.random(in: 1 ... 900, using: &rng) }
        var days: [Int: Int32] = [:]
        for _ in 0 ..< 2 { days[Int.random(in: 1 ... 7, using: &rng)] = Int32.random(in: 1 ... 900, using: &rng) }
        let segment: Segment = Double.random(in: 0 ..< 1, using: &rng) < positiveRate ? .pos : .neg
        return HandUser(id: id, segment: labelled ? segment : nil, titles: titles, genres: genres,
                        cities: [("c\(Int.random(in: 0 ..< 20, using: &rng))", 100)], hours: hours, days: days)
    }
    let train = (0 ..< trainCount).map { user("train-\($0 + 1)", labelled: true) }
    let test = (0 ..< testCount).map { user("test-\($0 + 1)", labelled: false) }
    return makeData(train: train, test: test)
}

/// ROC AUC by the Mann–Whitney statistic with midranks for ties (slow reference).
func referenceAUC(scores: [Double], labels: [UInt8]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var ranks = [Double](repeating: 0, count: scores.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let mid = Double(i + j) / 2 + 1
        for k in i ... j { ranks[order[k]] = mid }
        i = j + 1
    }
    let positives = labels.filter { $0 == 1 }.count
    let negatives = labels.count - positives
    var rankSum = 0.0
    for (r, y) in zip(ranks, labels) where y == 1 { rankSum += r }
    return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
}

/// The rows `rows` of a table (a slow way to build single-user tables for reference checks).
func subset(_ t: UserTable, _ rows: [Int]) -> UserTable {
    var out = UserTable()
    out.ids = rows.map { t.ids[$0] }
    out.segments = t.segments.map { s in rows.map { s[$0] } }
    for r in rows {
        for (src, keyPath) in [(t.titles, \UserTable.titles), (t.genres, \UserTable.genres), (t.cities, \UserTable.cities)] {
            let range = src.range(of: r)
            out[keyPath: keyPath].appendUser(items: Array(src.items[range]), seconds: Array(src.seconds[range]))
        }
        out.hourSeconds += t.hourSeconds[r * 24 ..< r * 24 + 24]
        out.daySeconds += t.daySeconds[r * 7 ..< r * 7 + 7]
    }
    return out
}

func column(_ f: FeatureSet, _ name: String) -> [Float] {
    guard let c = f.column(named: name) else { return [] }
    return (0 ..< f.matrix.rowCount).map { f.matrix[$0, c] }
}

func isClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-5) -> Bool { abs(a - b) <= tolerance }
