import Foundation

/// Counts that describe a loaded data set: users, labels, vocabularies, field coverage and what was skipped.
///
/// Coverage counts users whose field is non-empty. For `tod` and `dow`, which are stored as dense
/// seconds arrays, a user counts as covered when at least one hour (day) has non-zero seconds, so a
/// user whose only entries are `hour:0` counts as not covered there.
public struct DataSummary: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Counts for one file (train or test).
    public struct TableSummary: Codable, Sendable, Equatable {
        public var userCount: Int
        /// Users with `segment` `pos`; `nil` for an unlabelled file.
        public var positiveCount: Int?
        /// `positiveCount / userCount`; `nil` for an unlabelled file (or no users).
        public var positiveRate: Double?
        /// Users with at least one entry, per field (`titles`, `genres`, `cities`, `tod`, `dow`).
        public var fieldCoverage: [String: Int]
        /// Users whose `titles` is empty.
        public var emptyTitlesUserCount: Int
        /// Entries per list field (`titles`, `genres`, `cities`).
        public var entryCount: [String: Int]
        /// Entries with 0 seconds per list field (`titles`, `genres`, `cities`).
        public var zeroSecondEntryCount: [String: Int]

        public init(_ table: UserTable) {
            userCount = table.userCount
            if let segments = table.segments {
                let positives = segments.reduce(0) { $0 + Int($1.rawValue) }
                positiveCount = positives
                positiveRate = segments.isEmpty ? nil : Double(positives) / Double(segments.count)
            }
            var coverage: [String: Int] = [:]
            var entries: [String: Int] = [:]
            var zeros: [String: Int] = [:]
            for (name, lists) in [("titles", table.titles), ("genres", table.genres), ("cities", table.cities)] {
                var covered = 0
                for user in 0 ..< lists.userCount where lists.offsets[user + 1] > lists.offsets[user] { covered += 1 }
                coverage[name] = covered
                entries[name] = lists.entryCount
                zeros[name] = lists.seconds.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            }
            coverage["tod"] = Self.denseCoverage(table.hourSeconds, width: 24, userCount: table.userCount)
            coverage["dow"] = Self.denseCoverage(table.daySeconds, width: 7, userCount: table.userCount)
            fieldCoverage = coverage
            emptyTitlesUserCount = table.userCount - (coverage["titles"] ?? 0)
            entryCount = entries
            zeroSecondEntryCount = zeros
        }

        private static func denseCoverage(_ values: [Int32], width: Int, userCount: Int) -> Int {
            guard values.count == userCount * width else { return 0 }
            var covered = 0
            for user in 0 ..< userCount {
                let row = values[user * width ..< (user + 1) * width]
                if row.contains(where: { $0 != 0 }) { covered += 1 }
            }
            return covered
        }
    }

    public var train: TableSummary
    public var test: TableSummary
    public var distinctTitleCount: Int
    public var distinctGenreCount: Int
    public var distinctCityCount: Int
    /// Records skipped as invalid, per file name.
    public var skippedRecordCount: [String: Int]

    public init(_ data: WatchData) {
        train = TableSummary(data.train)
        test = TableSummary(data.test)
        distinctTitleCount = data.titles.count
        distinctGenreCount = data.genres.count
        distinctCityCount = data.cities.count
        skippedRecordCount = data.quality.skippedRecordCount
    }

    public var description: String {
        var lines: [String] = []
        func percent(_ part: Int, _ whole: Int) -> String {
            whole == 0 ? "–" : String(format: "%.1f %%", 100 * Double(part) / Double(whole))
        }
        for (name, table) in [("train", train), ("test", test)] {
            var line = "\(name): \(table.userCount) users"
            if let positives = table.positiveCount {
                line += ", \(positives) pos (\(percent(positives, table.userCount)))"
            }
            lines.append(line)
            let coverage = ["titles", "genres", "cities", "tod", "dow"].map { field in
                "\(field) \(table.fieldCoverage[field] ?? 0) (\(percent(table.fieldCoverage[field] ?? 0, table.userCount)))"
            }
            lines.append("  users with entries: " + coverage.joined(separator: ", "))
            lines.append("  empty titles: \(table.emptyTitlesUserCount) users")
            let entries = ["titles", "genres", "cities"].map { field in
                "\(field) \(table.entryCount[field] ?? 0) (\(table.zeroSecondEntryCount[field] ?? 0) with 0 s)"
            }
            lines.append("  entries: " + entries.joined(separator: ", "))
        }
        lines.append("distinct: \(distinctTitleCount) titles, \(distinctGenreCount) genres, \(distinctCityCount) cities")
        let skipped = skippedRecordCount.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("skipped records: " + (skipped.isEmpty ? "none" : skipped.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
