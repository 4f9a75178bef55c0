import Foundation
import Learning
import SegmentData
import Testing
@testable import FeatureEngineering

/// The per-row profile fill and the per-fold title counts beside slow, obvious recomputations.
@Suite struct SlowReferenceTests {
    /// Random users plus one whose genre and title entries repeat (repeated entries add up).
    static func dataWithRepeats() -> WatchData {
        let random = randomData(trainCount: 60, testCount: 10, titleCount: 30, positiveRate: 0.4, seed: 11)
        var train = (0 ..< random.train.userCount).map { handUser(random, random.train, $0, titles: random.titles) }
        train.append(HandUser(id: "train-999", segment: .pos, titles: [("T1", 50), ("T1", 70), ("T2", 0)],
                              genres: [("G0", 30), ("G1", 10), ("G0", 20)], cities: [("c1", 40), ("c2", 60)],
                              hours: [3: 10, 14: 20, 19: 30], days: [6: 5, 7: 15]))
        let test = (0 ..< random.test.userCount).map { handUser(random, random.test, $0, titles: random.titles) }
        return makeData(train: train, test: test)
    }

    static func handUser(_ data: WatchData, _ t: UserTable, _ u: Int, titles: Vocabulary) -> HandUser {
        func pairs(_ lists: WatchLists, _ vocabulary: Vocabulary) -> [(String, Int32)] {
            lists.range(of: u).map { (vocabulary.names[Int(lists.items[$0])], lists.seconds[$0]) }
        }
        var hours: [Int: Int32] = [:], days: [Int: Int32] = [:]
        for h in 0 ..< 24 where t.hourSeconds[u * 24 + h] != 0 { hours[h] = t.hourSeconds[u * 24 + h] }
        for d in 0 ..< 7 where t.daySeconds[u * 7 + d] != 0 { days[d + 1] = t.daySeconds[u * 7 + d] }
        return HandUser(id: t.ids[u], segment: t.segments?[u], titles: pairs(t.titles, titles),
                        genres: pairs(t.genres, data.genres), cities: pairs(t.cities, data.cities), hours: hours, days: days)
    }

    /// Every profile column of one user, by name, computed the slow way.
    static func slowProfile(_ t: UserTable, user u: Int, genreNames: [String]) -> [String: Double] {
        let hours = (0 ..< 24).map { Double(t.hourSeconds[u * 24 + $0]) }
        let days = (0 ..< 7).map { Double(t.daySeconds[u * 7 + $0]) }
        let titleSeconds = t.titles.range(of: u).map { Double(t.titles.seconds[$0]) }
        var genreSeconds = [String: Double]()
        for i in t.genres.range(of: u) { genreSeconds[genreNames[Int(t.genres.items[i])], default: 0] += Double(t.genres.seconds[i]) }
        let citySeconds = t.cities.range(of: u).map { Double(t.cities.seconds[$0]) }
        let hourTotal = hours.reduce(0, +), dayTotal = days.reduce(0, +)
        let genreTotal = genreSeconds.values.reduce(0, +), titleTotal = titleSeconds.reduce(0, +)
        func share(_ part: Double, _ total: Double) -> Double { total > 0 ? part / total : 0 }
        func entropy(_ values: [Double]) -> Double {
            let total = values.reduce(0, +)
            return total > 0 ? max(0, -values.filter { $0 > 0 }.map { $0 / total * log2($0 / total) }.reduce(0, +)) : 0
        }
        var row: [String: Double] = [
            "log_total_seconds": log1p(hourTotal), "title_count": Double(titleSeconds.count),
            "genre_count": Double(t.genres.range(of: u).count), "city_count": Double(citySeconds.count),
            "active_hour_count": Double(hours.filter { $0 > 0 }.count), "active_day_count": Double(days.filter { $0 > 0 }.count),
            "log_seconds_per_title": log1p(titleSeconds.isEmpty ? 0 : titleTotal / Double(titleSeconds.count)),
            "night_share": share(hours[0 ..< 6].reduce(0, +), hourTotal),
            "afternoon_share": share(hours[12 ..< 18].reduce(0, +), hourTotal),
            "evening_share": share(hours[18 ..< 24].reduce(0, +), hourTotal),
            "weekend_share": share(days[5] + days[6], dayTotal),
            "genre_entropy": entropy(genreNames.map { genreSeconds[$0] ?? 0 }), "hour_entropy": entropy(hours),
            "day_entropy": entropy(days), "city_entropy": entropy(citySeconds),
            "top_title_share": share(titleSeconds.max() ?? 0, titleTotal),
            "top_genre_share": share(genreSeconds.values.max() ?? 0, genreTotal),
            "id_number": Double(t.ids[u].split(separator: "-").last.flatMap { Int($0) } ?? -1),
        ]
        for g in genreNames {
            row["genre_log_seconds:\(g)"] = log1p(genreSeconds[g] ?? 0)
            row["genre_share:\(g)"] = share(genreSeconds[g] ?? 0, genreTotal)
        }
        for h in 0 ..< 24 { row[String(format: "hour_share:%02d", h)] = share(hours[h], hourTotal) }
        for d in 0 ..< 7 { row["day_share:\(d + 1)"] = share(days[d], dayTotal) }
        return row
    }

    @Test func profileRowsMatchTheSlowReference() {
        let data = Self.dataWithRepeats()
        let features = ProfileFeatures(data: data)
        for (table, set) in [(data.train, features.train), (data.test, features.test)] {
            #expect(set.matrix.rowCount == table.userCount)
            for u in 0 ..< table.userCount {
                let slow = Self.slowProfile(table, user: u, genreNames: data.genres.names)
                #expect(slow.count == set.matrix.columnCount)
                for (c, name) in set.matrix.columnNames.enumerated() {
                    guard let expected = slow[name] else {
                        Issue.record("no slow value for \(name)")
                        continue
                    }
                    #expect(isClose(Double(set.matrix[u, c]), expected, 1e-5 * max(1, abs(expected))),
                            "user \(table.ids[u]) column \(name): \(set.matrix[u, c]) vs \(expected)")
                }
            }
        }
    }

    @Test func foldTokenCountsMatchASlowRecount() throws {
        let data = Self.dataWithRepeats()
        let labels = try #require(data.train.labels)
        let foldOf = (0 ..< data.train.userCount).map { ($0 * 7) % 4 }
        let tokenCount = data.titles.count
        let counts = TitleTargetEncoder.FoldTokenCounts(lists: data.train.titles, labels: labels, foldOf: foldOf,
                                                        tokenCount: tokenCount)
        #expect(counts.foldCount == 4)
        for f in 0 ..< 4 {
            let rows = foldOf.indices.filter { foldOf[$0] == f }
            #expect(counts.foldUsers[f] == rows.count)
            #expect(counts.foldPositives[f] == rows.reduce(0) { $0 + Int(labels[$1]) })
            for t in 0 ..< tokenCount {
                let holders = rows.filter { u in data.train.titles.range(of: u).contains { data.train.titles.items[$0] == t } }
                #expect(counts.users[f * tokenCount + t] == Int32(holders.count), "fold \(f) token \(t)")
                #expect(counts.positives[f * tokenCount + t] == Int32(holders.reduce(0) { $0 + Int(labels[$1]) }))
            }
        }
        // The rates fitted without fold 2: an m-estimate over the other folds' rows.
        let m = 3.0
        let table = try counts.rateTable(excluding: 2, smoothing: m)
        let fitting = foldOf.indices.filter { foldOf[$0] != 2 }
        let prior = Double(fitting.reduce(0) { $0 + Int(labels[$1]) }) / Double(fitting.count)
        #expect(isClose(table.prior, prior, 1e-12))
        for t in 0 ..< tokenCount {
            let holders = fitting.filter { u in data.train.titles.range(of: u).contains { data.train.titles.items[$0] == t } }
            let positives = Double(holders.reduce(0) { $0 + Int(labels[$1]) })
            #expect(table.support[t] == Int32(holders.count))
            #expect(isClose(table.rates[t], (positives + m * prior) / (Double(holders.count) + m), 1e-12))
        }
    }
}
