import ArgumentParser
import Foundation

/// Options shared by every step and by `analyze`.
public struct StepOptions: ParsableArguments, Sendable {
    @Option(help: "Training file (train_data.json or .json.gz). Default: the built-in data set.")
    public var train: String? = nil

    @Option(help: "Test file (test_data.json or .json.gz). Default: the built-in data set.")
    public var test: String? = nil

    @Option(help: "Report folder.")
    public var out: String = "reports"

    @Option(help: "Global seed; each step derives its own from it.")
    public var seed: UInt64 = 2017

    @Flag(help: "Skip invalid records (counted in the report's data-quality section) instead of stopping.")
    public var skipInvalid: Bool = false

    @Option(help: ArgumentHelp("Size of the built-in data set: full or small (also PTS_BUILTIN_SIZE).", visibility: .hidden))
    public var builtinSize: String? = nil

    /// For ArgumentParser only: its properties are unreadable until parsed. In code, use
    /// ``init(train:test:out:seed:skipInvalid:builtinSize:)`` or `try StepOptions.parse([...])`.
    public init() {}

    /// Options set in code (tests, embedding); every property is readable.
    public init(train: String? = nil, test: String? = nil, out: String = "reports", seed: UInt64 = 2017,
                skipInvalid: Bool = false, builtinSize: String? = nil) {
        self.train = train
        self.test = test
        self.out = out
        self.seed = seed
        self.skipInvalid = skipInvalid
        self.builtinSize = builtinSize
    }

    public mutating func validate() throws {
        if (train == nil) != (test == nil) {
            throw ValidationError("give both --train and --test, or neither (to use the built-in data set)")
        }
        if let size = builtinSize, BuiltinSize(rawValue: size) == nil {
            throw ValidationError("--builtin-size must be full or small, not '\(size)'")
        }
    }

    /// The report folder as a URL.
    public var reportDirectory: URL { URL(fileURLWithPath: out, isDirectory: true) }

    /// Whether the built-in data set is used (no `--train` / `--test`).
    public var usesBuiltinData: Bool { train == nil && test == nil }

    /// The built-in data size: `--builtin-size`, else `PTS_BUILTIN_SIZE`, else full.
    public var resolvedBuiltinSize: BuiltinSize {
        if let size = builtinSize, let parsed = BuiltinSize(rawValue: size) { return parsed }
        if let size = ProcessInfo.processInfo.environment["PTS_BUILTIN_SIZE"], let parsed = BuiltinSize(rawValue: size) {
            return parsed
        }
        return .full
    }

    /// The global configuration recorded in the manifest.
    public var globalConfiguration: GlobalConfiguration {
        GlobalConfiguration(seed: seed, train: train ?? "builtin", test: test ?? "builtin", skipInvalid: skipInvalid,
                            builtinSize: usesBuiltinData ? resolvedBuiltinSize.rawValue : nil,
                            reportDirectory: out)
    }
}

/// Scale of the built-in data set: the competition's (300,000 users) or a small one for tests.
public enum BuiltinSize: String, Sendable, CaseIterable {
    case full
    case small
}
