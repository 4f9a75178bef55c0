import Foundation
import Pipeline
import Reporting

/// What the report says about this data set: its subtitle and the data overview of the EDA section.
public enum HotstarReport {
    /// The report's subtitle (the runner appends the data and the seed).
    public static let subtitle = "Predicting the pos segment of Hotstar viewers from watch histories"

    static func percent(_ share: Double) -> String { String(format: "%.2f %%", share * 100) }

    /// `200000` → `200,000`.
    static func grouped(_ value: Int) -> String { EDAFormat.count(value) }

    /// The report's data overview of a profile.
    public static func dataOverview(_ record: WatchDataProfile) -> DataOverview {
        DataOverview(
            facts: [
                Fact("Train users", grouped(record.trainUserCount)),
                Fact("Test users", grouped(record.testUserCount)),
                Fact("Positive rate (train)", "\(percent(record.positiveRate)) (\(grouped(record.positiveCount)) pos)"),
                Fact("Distinct titles / genres / cities",
                     "\(grouped(record.titleCount)) / \(grouped(record.genreCount)) / \(grouped(record.cityCount))"),
                Fact("Parse time", String(format: "%.2f s", record.loadSeconds)),
            ],
            coverageRows: record.coverage.map { [$0.field, percent($0.trainShare), percent($0.testShare)] },
            skipped: record.skippedRecordCount.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                .map { Fact($0.key, "\(grouped($0.value)) records") },
            skippedExamples: record.skippedExamples,
            qualityNotes: qualityNotes(record))
    }

    /// Plain-language notes from the loader's counts.
    static func qualityNotes(_ record: WatchDataProfile) -> [String] {
        guard let summary = record.loaderSummary else { return [] }
        var notes: [String] = []
        let empty = [("train", summary.train), ("test", summary.test)].filter { $0.1.emptyTitlesUserCount > 0 }
        if !empty.isEmpty {
            notes.append(empty.map { "\(grouped($0.1.emptyTitlesUserCount)) \($0.0)" }.joined(separator: " and ")
                + " users have an empty titles field (they still have genres, cities, hours and days).")
        }
        for (name, table) in [("train", summary.train), ("test", summary.test)] {
            let zero = ["titles", "genres", "cities"].compactMap { field -> String? in
                guard let count = table.zeroSecondEntryCount[field], count > 0 else { return nil }
                let total = table.entryCount[field] ?? 0
                return "\(grouped(count)) of \(grouped(total)) \(field) entries"
            }
            if !zero.isEmpty { notes.append("Zero-second entries in \(name): " + zero.joined(separator: ", ") + ".") }
        }
        return notes
    }
}
