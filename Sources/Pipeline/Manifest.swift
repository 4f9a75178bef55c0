import Core
import Foundation
import Reporting

/// `reports/manifest.json`: what each step was computed from, when, how long it took, what it
/// wrote, and whether the last run reused it; plus the tool version, the global configuration,
/// the loaded data's profile and a cache of input-file hashes keyed by (path, size, mtime).
public struct Manifest: Codable, Sendable, Equatable {
    /// Bumped when this file's layout changes.
    public var formatVersion: Int
    /// The tool that wrote it.
    public var tool: ToolInfo
    /// The options of the run that last wrote the manifest.
    public var configuration: GlobalConfiguration?
    /// One record per step that has finished at least once.
    public var steps: [String: StepRecord]
    /// The input as last loaded (files, load time, and the data source's own profile).
    public var data: DataRecord?
    /// Hashes of input files, reused while a file's size and modification time are unchanged.
    public var fileHashes: [String: FileHashRecord]

    public static let currentFormatVersion = 3

    public init() {
        formatVersion = Self.currentFormatVersion
        tool = .current
        configuration = nil
        steps = [:]
        data = nil
        fileHashes = [:]
    }

    /// Reads a manifest; a missing file gives an empty manifest.
    public static func load(from url: URL) throws -> Manifest {
        guard FileManager.default.fileExists(atPath: url.path) else { return Manifest() }
        let data = try Data(contentsOf: url)
        do {
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw ManifestError(message: "\(url.path) is not a readable manifest (\(error))")
        }
    }

    /// Writes the manifest atomically as sorted, pretty JSON.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(encoder.encode(self), to: url)
    }
}

/// A manifest that cannot be read.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// The package and toolchain that produced the outputs.
public struct ToolInfo: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var swiftVersion: String
    public var platform: String

    /// The package version; bump with releases.
    public static let packageVersion = "0.1.0"

    public static var current: ToolInfo {
        #if swift(>=6.3)
        let swift = "6.3+"
        #elseif swift(>=6.2)
        let swift = "6.2"
        #elseif swift(>=6.1)
        let swift = "6.1"
        #else
        let swift = "6.0"
        #endif
        #if os(Linux)
        let os = "Linux"
        #elseif os(macOS)
        let os = "macOS"
        #else
        let os = "other"
        #endif
        return ToolInfo(name: "PredictTheSegment", version: packageVersion, swiftVersion: swift,
                        platform: "\(os) \(ProcessInfo.processInfo.operatingSystemVersionString)")
    }
}

/// The global options of a run.
public struct GlobalConfiguration: Codable, Sendable, Equatable {
    public var seed: UInt64
    /// Train file, or `builtin` for the built-in data set.
    public var train: String
    public var test: String
    public var skipInvalid: Bool
    /// `full` or `small` when the built-in data set is used.
    public var builtinSize: String?
    public var reportDirectory: String
}

/// One step's state in the manifest.
public struct StepRecord: Codable, Sendable, Equatable {
    public var name: String
    public var title: String
    /// Hex digest of everything the outputs depend on.
    public var fingerprint: String
    public var version: Int
    /// The configuration's top-level fields as text (for reading and the report).
    public var configuration: [String: String]
    /// The configuration as canonical JSON: what the fingerprint hashed.
    public var canonicalConfiguration: String
    public var seed: UInt64
    public var skipInvalid: Bool
    /// Input files hashed into the fingerprint (empty for steps that do not read the data).
    public var inputs: [InputFileRecord]
    /// Upstream step name → the upstream identity hashed into the fingerprint (`content:<hash>`).
    public var upstream: [String: String]
    /// ISO 8601 time the step last finished running (not updated when reused).
    public var finishedAt: String
    public var wallSeconds: Double
    public var phases: [PhaseTiming]
    /// Files written, relative to the report folder (`eda/section.json`, `.artifacts/features/x.bin`).
    public var outputs: [String]
    /// Hash of the step's artifacts (paths and contents), the identity downstream steps depend on.
    public var outputHash: String?
    /// Whether the last run reused these outputs instead of running the step.
    public var cachedInLastRun: Bool
}

/// A named phase and its wall time.
public struct PhaseTiming: Codable, Sendable, Equatable {
    public var name: String
    public var seconds: Double
    public init(name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }
}

/// One input file as hashed.
public struct InputFileRecord: Codable, Sendable, Equatable {
    public var role: String
    public var path: String
    public var byteCount: Int64
    public var hash: String
}

/// Cache entry: a file's hash while its size and modification time stay the same.
public struct FileHashRecord: Codable, Sendable, Equatable {
    public var byteCount: Int64
    public var modifiedAt: Double
    public var hash: String
}

/// The loaded input as recorded in the manifest: its files, load time and printed summary, plus
/// the data source's own profile (any `Codable` value, stored as JSON).
public struct DataRecord: Codable, Sendable, Equatable {
    public var inputs: [InputFileRecord]
    public var loadSeconds: Double
    /// The data source's printed summary.
    public var summaryText: String
    /// The data source's profile (counts, coverage, …), decoded by whoever knows its type.
    public var profile: JSONValue?

    public init(inputs: [InputFileRecord], loadSeconds: Double, summaryText: String, profile: JSONValue? = nil) {
        self.inputs = inputs
        self.loadSeconds = loadSeconds
        self.summaryText = summaryText
        self.profile = profile
    }
}

/// Any JSON value: lets the manifest keep a data source's profile without knowing its type.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON form of an `Encodable` value.
    public init<Value: Encodable>(encoding value: Value) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// Decodes this JSON as `type`.
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(self))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
