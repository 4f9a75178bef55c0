import Foundation
import Reporting

/// One analysis step: declares what it reads, and writes its outputs through a ``StepContext``.
///
/// A step writes report-facing files (PNG figures, CSV/JSON tables, `section.json`) into
/// `context.outputDirectory` (becomes `reports/<name>/`) and large machine-readable artifacts
/// (feature matrices, fitted models) into `context.artifactDirectory` (becomes
/// `reports/.artifacts/<name>/`). Both are temporary folders renamed into place only when
/// `run` returns without throwing, so a failed run leaves the previous report intact.
///
/// Everything that decides a step's outputs is declared in types: its upstream steps
/// (``upstream``), its settings (one `Encodable` ``configuration`` value, encoded canonically
/// into the fingerprint, so no field can be left out) and the artifacts it writes
/// (``artifacts``, checked by the runner and hashed into downstream fingerprints).
public protocol AnalysisStep: Sendable {
    /// The step's settings: every field feeds the fingerprint.
    associatedtype Configuration: Encodable & Sendable = NoConfiguration

    /// Stable identifier and output folder name (`eda`, `clustering`, …).
    static var name: String { get }
    /// Human title of the report section.
    static var title: String { get }
    /// Bump when the step's logic or output format changes (invalidates cached outputs).
    static var version: Int { get }
    /// The steps whose outputs this step reads (their output content hashes feed this step's fingerprint).
    static var upstream: [any AnalysisStep.Type] { get }
    /// Files the step writes into its artifact folder (`reports/.artifacts/<name>/`); the runner
    /// checks they exist after a run. Downstream steps may read only these.
    static var artifacts: [String] { get }
    /// Figures the step always draws into its output folder (`reports/<name>/`); the runner checks
    /// they exist after a run. Figures drawn only for some data need not be listed.
    static var figures: [String] { get }
    /// Whether the step reads the loaded input (its files' hashes feed the fingerprint).
    static var readsData: Bool { get }
    /// Whether the step reads every other step's section (the report): it runs last, reruns
    /// whenever any other step's recorded outputs changed, and never pulls other steps in.
    static var readsAllSections: Bool { get }
    /// Step-specific settings that invalidate the cache when they change.
    var configuration: Configuration { get }

    /// Does the work.
    func run(in context: StepContext) throws
}

/// The settings of a step that has none.
public struct NoConfiguration: Codable, Sendable, Equatable {
    public init() {}
}

extension AnalysisStep {
    public static var readsData: Bool { true }
    public static var readsAllSections: Bool { false }
    public static var artifacts: [String] { [] }
    public static var figures: [String] { [] }
    public static var upstream: [any AnalysisStep.Type] { [] }

    /// Names of the declared upstream steps, in declaration order.
    public static var upstreamNames: [String] { upstream.map { $0.name } }

    /// The configuration as canonical JSON (sorted keys): the text hashed into the fingerprint.
    public func canonicalConfiguration() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    /// The configuration's top-level fields as text (nested values as compact JSON), for the
    /// manifest and the report's reproduction table.
    public func configurationFields() throws -> [String: String] {
        try ConfigurationText.fields(ofJSON: canonicalConfiguration())
    }
}

extension AnalysisStep where Configuration == NoConfiguration {
    public var configuration: NoConfiguration { NoConfiguration() }
}

/// Flattens canonical configuration JSON into field → text.
enum ConfigurationText {
    static func fields(ofJSON json: String) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        guard let dictionary = object as? [String: Any] else { return json == "{}" ? [:] : ["value": json] }
        var fields: [String: String] = [:]
        for (key, value) in dictionary {
            if let text = value as? String {
                fields[key] = text
            } else {
                let data = try JSONSerialization.data(withJSONObject: value,
                                                      options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
                fields[key] = String(decoding: data, as: UTF8.self)
            }
        }
        return fields
    }
}
