import ArgumentParser
import Foundation

/// Options shared by every step and by `analyze`.
public struct StepOptions: ParsableArguments, Sendable {
    @Option(help: "Training file (train_data.json or .json.gz). Default: the built-in data set.")
    public var train: String?

    @Option(help: "Test file (test_data.json or .json.gz). Default: the built-in data set.")
    public var test: String?

    @Option(help: "Report folder.")
    public var out: String = "reports"

    @Option(help: "Global seed; each step derives its own from it.")
    public var seed: UInt64 = 2017

    @Flag(help: "Skip invalid records (counted in the report's data-quality section) instead of stopping.")
    public var skipInvalid: Bool = false

    public init() {}
}
