import Foundation
import SegmentData

/// An input file a data source reads, with its role (`train`, `test`).
public struct DataInput: Sendable, Equatable {
    public var role: String
    public var url: URL
    public init(role: String, url: URL) {
        self.role = role
        self.url = url
    }
}

/// Where the pipeline's data comes from. The runner hashes the files from ``prepareInputs(log:)``
/// into the fingerprints of data-reading steps, and calls ``load(_:log:)`` at most once per process.
public protocol DataSource: Sendable {
    /// Makes sure the input files exist (generating the built-in data set when needed) and names them.
    func prepareInputs(log: ProgressLog) throws -> [DataInput]
    /// Loads the prepared files.
    func load(_ inputs: [DataInput], log: ProgressLog) throws -> WatchData
    /// A multi-line human summary of the loaded data (printed once after loading).
    func summary(of data: WatchData, loadSeconds: Double) -> String
}

extension DataSource {
    public func summary(of data: WatchData, loadSeconds: Double) -> String {
        DataProfile.describe(DataProfile.record(of: data, inputs: [], loadSeconds: loadSeconds))
    }
}

/// A fixed in-memory data set, for tests and embedding. `inputs` are files whose hashes stand
/// for the data in fingerprints (they are not read).
public struct InMemoryDataSource: DataSource {
    public var data: WatchData
    public var inputs: [DataInput]
    public init(data: WatchData, inputs: [DataInput]) {
        self.data = data
        self.inputs = inputs
    }
    public func prepareInputs(log: ProgressLog) throws -> [DataInput] { inputs }
    public func load(_ inputs: [DataInput], log: ProgressLog) throws -> WatchData { data }
}

/// Loads the data once per process, shares it between steps, and remembers how long it took.
public final class SharedData: @unchecked Sendable {
    private let source: any DataSource
    private let log: ProgressLog
    private let lock = NSRecursiveLock()
    private var preparedInputs: [DataInput]?
    private var loaded: WatchData?
    private var loadError: (any Error)?
    /// Wall seconds the load took (0 until loaded).
    public private(set) var loadSeconds: Double = 0

    public init(source: any DataSource, log: ProgressLog = .shared) {
        self.source = source
        self.log = log
    }

    /// The input files (prepared once).
    public func inputs() throws -> [DataInput] {
        lock.lock(); defer { lock.unlock() }
        if let preparedInputs { return preparedInputs }
        let inputs = try source.prepareInputs(log: log)
        preparedInputs = inputs
        return inputs
    }

    /// Whether the data has been loaded in this process.
    public var isLoaded: Bool {
        lock.lock(); defer { lock.unlock() }
        return loaded != nil
    }

    /// The data, loading it on first use; a failed load is not retried.
    public func data() throws -> WatchData {
        lock.lock(); defer { lock.unlock() }
        if let loaded { return loaded }
        if let loadError { throw loadError }
        do {
            let files = try inputs()
            log.line("[data] loading \(files.map { "\($0.role): \($0.url.path)" }.joined(separator: ", "))")
            let start = DispatchTime.now().uptimeNanoseconds
            let data = try source.load(files, log: log)
            loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            loaded = data
            log.line("[data] loaded in \(String(format: "%.1f", loadSeconds)) s\n" + source.summary(of: data, loadSeconds: loadSeconds))
            return data
        } catch {
            loadError = error
            throw error
        }
    }
}

/// Counts and coverage of a loaded data set.
public enum DataProfile {
    /// The profile stored in the manifest.
    public static func record(of data: WatchData, inputs: [InputFileRecord], loadSeconds: Double,
                              summaryText: String = "") -> DataRecord {
        let positives = data.train.segments?.reduce(0) { $0 + ($1 == .pos ? 1 : 0) } ?? 0
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
        let coverage = [
            FieldCoverage(field: "titles", trainShare: listShare(data.train.titles), testShare: listShare(data.test.titles)),
            FieldCoverage(field: "genres", trainShare: listShare(data.train.genres), testShare: listShare(data.test.genres)),
            FieldCoverage(field: "cities", trainShare: listShare(data.train.cities), testShare: listShare(data.test.cities)),
            FieldCoverage(field: "tod", trainShare: gridShare(data.train.hourSeconds, width: 24, userCount: data.train.userCount),
                          testShare: gridShare(data.test.hourSeconds, width: 24, userCount: data.test.userCount)),
            FieldCoverage(field: "dow", trainShare: gridShare(data.train.daySeconds, width: 7, userCount: data.train.userCount),
                          testShare: gridShare(data.test.daySeconds, width: 7, userCount: data.test.userCount)),
        ]
        return DataRecord(
            inputs: inputs, trainUserCount: data.train.userCount, testUserCount: data.test.userCount,
            positiveCount: positives, titleCount: data.titles.count, genreCount: data.genres.count,
            cityCount: data.cities.count, coverage: coverage,
            skippedRecordCount: data.quality.skippedRecordCount, skippedExamples: data.quality.skippedExamples,
            loadSeconds: loadSeconds, summaryText: summaryText, loaderSummary: DataSummary(data))
    }

    /// A plain-text summary of a profile.
    public static func describe(_ record: DataRecord) -> String {
        var lines: [String] = []
        lines.append("users: \(record.trainUserCount) train (\(record.positiveCount) pos, "
            + String(format: "%.2f %%", record.positiveRate * 100) + "), \(record.testUserCount) test")
        lines.append("distinct: \(record.titleCount) titles, \(record.genreCount) genres, \(record.cityCount) cities")
        lines.append("coverage (train / test): " + record.coverage.map {
            "\($0.field) " + String(format: "%.1f / %.1f %%", $0.trainShare * 100, $0.testShare * 100)
        }.joined(separator: ", "))
        let skipped = record.skippedRecordCount.values.reduce(0, +)
        if skipped > 0 {
            lines.append("skipped invalid records: " + record.skippedRecordCount.sorted { $0.key < $1.key }
                .map { "\($0.value) in \($0.key)" }.joined(separator: ", "))
        }
        lines.append("parse time: " + String(format: "%.2f s", record.loadSeconds))
        return lines.joined(separator: "\n")
    }
}
