import Foundation
import Reporting
import SegmentData

/// One analysis step: declares what it reads, and writes its outputs through a ``StepContext``.
///
/// A step writes report-facing files (PNG figures, CSV/JSON tables, `section.json`) into
/// `context.outputDirectory` (becomes `reports/<name>/`) and large machine-readable artifacts
/// (feature matrices, fitted models) into `context.artifactDirectory` (becomes
/// `reports/.artifacts/<name>/`). Both are temporary folders renamed into place only when
/// `run` returns without throwing, so a failed run leaves the previous report intact.
public protocol AnalysisStep: Sendable {
    /// Stable identifier and output folder name (`eda`, `clustering`, …).
    static var name: String { get }
    /// Human title of the report section.
    static var title: String { get }
    /// Bump when the step's logic or output format changes (invalidates cached outputs).
    static var version: Int { get }
    /// Names of the steps whose outputs this step reads (their fingerprints feed this step's).
    static var upstream: [String] { get }
    /// Whether the step reads the train/test data files.
    static var readsData: Bool { get }
    /// Step-specific configuration that should invalidate the cache when it changes.
    var configuration: [String: String] { get }
    /// Whether the step reads every other step's section (the report): it runs last, reruns
    /// whenever any other step's recorded outputs changed, and never pulls other steps in.
    static var readsAllSections: Bool { get }

    /// Does the work.
    func run(in context: StepContext) throws
}

extension AnalysisStep {
    public static var readsData: Bool { true }
    public var configuration: [String: String] { [:] }
    public static var readsAllSections: Bool { false }
}
