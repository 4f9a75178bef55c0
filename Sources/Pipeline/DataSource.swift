import Foundation

/// An input file a data source reads, with its role (`train`, `test`).
public struct DataInput: Sendable, Equatable {
    public var role: String
    public var url: URL
    public init(role: String, url: URL) {
        self.role = role
        self.url = url
    }
}

/// Where the pipeline's input comes from. The runner hashes the files from ``prepareInputs(log:)``
/// into the fingerprints of data-reading steps, and calls ``load(_:log:)`` at most once per
/// process. The engine never looks inside `Loaded`: steps ask for it by type
/// (``StepContext/input(_:)``).
public protocol DataSource: Sendable {
    /// What ``load(_:log:)`` produces.
    associatedtype Loaded: Sendable
    /// Makes sure the input files exist (generating them when needed) and names them.
    func prepareInputs(log: ProgressLog) throws -> [DataInput]
    /// Loads the prepared files.
    func load(_ inputs: [DataInput], log: ProgressLog) throws -> Loaded
    /// A multi-line human summary of the loaded input (printed once after loading).
    func summary(of loaded: Loaded, loadSeconds: Double) -> String
    /// The manifest's record of the loaded input (its profile is the source's own `Codable` value).
    func record(of loaded: Loaded, inputs: [InputFileRecord], loadSeconds: Double) throws -> DataRecord
}

extension DataSource {
    public func summary(of loaded: Loaded, loadSeconds: Double) -> String {
        "parse time: " + String(format: "%.2f s", loadSeconds)
    }

    public func record(of loaded: Loaded, inputs: [InputFileRecord], loadSeconds: Double) throws -> DataRecord {
        DataRecord(inputs: inputs, loadSeconds: loadSeconds, summaryText: summary(of: loaded, loadSeconds: loadSeconds))
    }
}

/// A fixed in-memory input, for tests and embedding. `inputs` are files whose hashes stand
/// for the input in fingerprints (they are not read).
public struct InMemoryDataSource<Loaded: Sendable>: DataSource {
    public var data: Loaded
    public var inputs: [DataInput]
    public init(data: Loaded, inputs: [DataInput]) {
        self.data = data
        self.inputs = inputs
    }
    public func prepareInputs(log: ProgressLog) throws -> [DataInput] { inputs }
    public func load(_ inputs: [DataInput], log: ProgressLog) throws -> Loaded { data }
}

/// Loads the input once per process, shares it between steps, and remembers how long it took.
public final class SharedData: @unchecked Sendable {
    private let prepare: @Sendable (ProgressLog) throws -> [DataInput]
    private let loadFiles: @Sendable ([DataInput], ProgressLog) throws -> any Sendable
    private let summarize: @Sendable (any Sendable, Double) -> String
    private let describe: @Sendable (any Sendable, [InputFileRecord], Double) throws -> DataRecord?
    private let log: ProgressLog
    private let lock = NSRecursiveLock()
    private var preparedInputs: [DataInput]?
    private var loaded: (any Sendable)?
    private var loadError: (any Error)?
    /// Wall seconds the load took (0 until loaded).
    public private(set) var loadSeconds: Double = 0

    public init<Source: DataSource>(source: Source, log: ProgressLog = .shared) {
        prepare = { try source.prepareInputs(log: $0) }
        loadFiles = { try source.load($0, log: $1) }
        summarize = { loaded, seconds in (loaded as? Source.Loaded).map { source.summary(of: $0, loadSeconds: seconds) } ?? "" }
        describe = { loaded, inputs, seconds in
            try (loaded as? Source.Loaded).map { try source.record(of: $0, inputs: inputs, loadSeconds: seconds) }
        }
        self.log = log
    }

    /// The input files (prepared once).
    public func inputs() throws -> [DataInput] {
        lock.lock(); defer { lock.unlock() }
        if let preparedInputs { return preparedInputs }
        let inputs = try prepare(log)
        preparedInputs = inputs
        return inputs
    }

    /// Whether the input has been loaded in this process.
    public var isLoaded: Bool {
        lock.lock(); defer { lock.unlock() }
        return loaded != nil
    }

    /// The loaded input, loading it on first use; a failed load is not retried.
    public func data() throws -> any Sendable {
        lock.lock(); defer { lock.unlock() }
        if let loaded { return loaded }
        if let loadError { throw loadError }
        do {
            let files = try inputs()
            log.line("[data] loading \(files.map { "\($0.role): \($0.url.path)" }.joined(separator: ", "))")
            let start = DispatchTime.now().uptimeNanoseconds
            let data = try loadFiles(files, log)
            loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            loaded = data
            log.line("[data] loaded in \(String(format: "%.1f", loadSeconds)) s\n" + summarize(data, loadSeconds))
            return data
        } catch {
            loadError = error
            throw error
        }
    }

    /// The manifest record of the loaded input (nil until loaded).
    func record(inputs: [InputFileRecord]) -> DataRecord? {
        guard isLoaded, let data = try? data() else { return nil }
        return try? describe(data, inputs, loadSeconds)
    }
}

/// The loaded input is not of the type a step asked for.
public struct InputTypeError: Error, CustomStringConvertible, Sendable {
    public let step: String
    public let expected: String
    public let actual: String
    public var description: String {
        "step '\(step)' reads its input as \(expected), but the data source loads \(actual)"
    }
}
