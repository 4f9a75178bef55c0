import Foundation
import Pipeline
import Reporting
import SegmentData

/// Counts and coverage of the loaded watch data: the profile the manifest keeps for the report's
/// data and data-quality sections.
public struct WatchDataProfile: Codable, Sendable, Equatable {
    public var trainUserCount: Int
    public var testUserCount: Int
    public var positiveCount: Int
    public var titleCount: Int
    public var genreCount: Int
    public var cityCount: Int
    /// Share of users with at least one entry, per field and file.
    public var coverage: [FieldCoverage]
    public var skippedRecordCount: [String: Int]
    public var skippedExamples: [String]
    public var loadSeconds: Double
    /// The loader's counts (entries, zero-second entries, empty titles), when available.
    public var loaderSummary: DataSummary?

    /// Positive share of the training users.
    public var positiveRate: Double {
        trainUserCount > 0 ? Double(positiveCount) / Double(trainUserCount) : 0
    }

    /// The profile of `data`.
    public init(of data: WatchData, loadSeconds: Double) {
        trainUserCount = data.train.userCount
        testUserCount = data.test.userCount
        positiveCount = data.train.segments?.reduce(0) { $0 + ($1 == .pos ? 1 : 0) } ?? 0
        titleCount = data.titles.count
        genreCount = data.genres.count
        cityCount = data.cities.count
        coverage = Self.coverage(of: data)
        skippedRecordCount = data.quality.skippedRecordCount
        skippedExamples = data.quality.skippedExamples
        self.loadSeconds = loadSeconds
        loaderSummary = DataSummary(data)
    }

    private static func coverage(of data: WatchData) -> [FieldCoverage] {
        func listShare(_ lists: WatchLists) -> Double {
            guard lists.userCount > 0 else { return 0 }
            var filled = 0
            for user in 0 ..< lists.userCount where lists.offsets[user + 1] > lists.offsets[user] { filled += 1 }
            return Double(filled) / Double(lists.userCount)
        }
        func gridShare(_ cells: [Int32], width: Int, userCount: Int) -> Double {
            guard userCount > 0, cells.count >= userCount * width else { return 0 }
            var filled = 0
            for user in 0 ..< userCount {
                let row = user * width
                for column in 0 ..< width where cells[row + column] > 0 { filled += 1; break }
            }
            return Double(filled) / Double(userCount)
        }
        return [
            FieldCoverage(field: "titles", trainShare: listShare(data.train.titles), testShare: listShare(data.test.titles)),
            FieldCoverage(field: "genres", trainShare: listShare(data.train.genres), testShare: listShare(data.test.genres)),
            FieldCoverage(field: "cities", trainShare: listShare(data.train.cities), testShare: listShare(data.test.cities)),
            FieldCoverage(field: "tod", trainShare: gridShare(data.train.hourSeconds, width: 24, userCount: data.train.userCount),
                          testShare: gridShare(data.test.hourSeconds, width: 24, userCount: data.test.userCount)),
            FieldCoverage(field: "dow", trainShare: gridShare(data.train.daySeconds, width: 7, userCount: data.train.userCount),
                          testShare: gridShare(data.test.daySeconds, width: 7, userCount: data.test.userCount)),
        ]
    }

    /// A plain-text summary (the manifest's `summaryText`).
    public var description: String {
        var lines: [String] = []
        lines.append("users: \(trainUserCount) train (\(positiveCount) pos, "
            + String(format: "%.2f %%", positiveRate * 100) + "), \(testUserCount) test")
        lines.append("distinct: \(titleCount) titles, \(genreCount) genres, \(cityCount) cities")
        lines.append("coverage (train / test): " + coverage.map {
            "\($0.field) " + String(format: "%.1f / %.1f %%", $0.trainShare * 100, $0.testShare * 100)
        }.joined(separator: ", "))
        let skipped = skippedRecordCount.values.reduce(0, +)
        if skipped > 0 {
            lines.append("skipped invalid records: " + skippedRecordCount.sorted { $0.key < $1.key }
                .map { "\($0.value) in \($0.key)" }.joined(separator: ", "))
        }
        lines.append("parse time: " + String(format: "%.2f s", loadSeconds))
        return lines.joined(separator: "\n")
    }

    /// The profile kept in a manifest's data record, if it has one of this type.
    public static func stored(in manifest: Manifest) -> WatchDataProfile? {
        try? manifest.data?.profile?.decode(WatchDataProfile.self)
    }
}

/// Share of users with a non-empty field.
public struct FieldCoverage: Codable, Sendable, Equatable {
    public var field: String
    public var trainShare: Double
    public var testShare: Double
}

extension StepContext {
    /// The loaded train and test data (loaded once per process and shared between steps).
    public func data() throws -> WatchData { try input(WatchData.self) }
}
