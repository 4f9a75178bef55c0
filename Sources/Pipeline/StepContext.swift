import Core
import Foundation
import Reporting

/// What a running step can use: its seed, its output folders, the loaded input, upstream outputs,
/// phase timing and progress.
public final class StepContext: @unchecked Sendable {
    /// The step's name.
    public let stepName: String
    /// This step's own seed, derived from the global seed and the step name.
    public let seed: UInt64
    /// The report root (`reports/`), for reading upstream outputs.
    public let reportDirectory: URL
    /// Temporary folder that becomes `reports/<step>/` on success.
    public let outputDirectory: URL
    /// Temporary folder that becomes `reports/.artifacts/<step>/` on success.
    public let artifactDirectory: URL
    /// Shared options (paths, seed, …).
    public let options: StepOptions

    /// Names of the steps this step declared upstream (the only ones it may read).
    public let declaredUpstream: [String]
    /// Whether the step may read any other step's outputs (the report).
    public let readsAllSteps: Bool
    private let dataProvider: () throws -> any Sendable
    private let lock = NSLock()
    private var phaseSeconds: [(String, Double)] = []
    private var rootFiles: [String] = []
    private var lastProgressAt: UInt64 = 0

    /// The manifest as it stands when the step starts (records of the steps finished so far);
    /// set by ``PipelineRunner``. The report step reads it for the reproduction section.
    public internal(set) var manifest = Manifest()
    /// The runner's steps that have a report section (all but the report itself), in order;
    /// set by ``PipelineRunner``.
    public internal(set) var reportedSteps: [ReportedStep] = []

    public init(stepName: String, seed: UInt64, reportDirectory: URL, outputDirectory: URL,
                artifactDirectory: URL, options: StepOptions, declaredUpstream: [String] = [],
                readsAllSteps: Bool = false, data: @escaping () throws -> any Sendable) {
        self.stepName = stepName
        self.declaredUpstream = declaredUpstream
        self.readsAllSteps = readsAllSteps
        self.seed = seed
        self.reportDirectory = reportDirectory
        self.outputDirectory = outputDirectory
        self.artifactDirectory = artifactDirectory
        self.options = options
        self.dataProvider = data
    }

    /// The loaded input as `type` (loaded once per process and shared between steps); throws
    /// ``InputTypeError`` when the data source loads something else.
    public func input<Input>(_ type: Input.Type) throws -> Input {
        let loaded = try dataProvider()
        guard let typed = loaded as? Input else {
            throw InputTypeError(step: stepName, expected: "\(Input.self)", actual: "\(Swift.type(of: loaded))")
        }
        return typed
    }

    /// The finished output folder of an upstream step (`reports/<step>/`); throws
    /// ``UndeclaredUpstreamError`` when `step` is not among this step's declared upstream steps.
    public func upstreamOutput(_ step: any AnalysisStep.Type) throws -> URL {
        try checkDeclared(step)
        return reportDirectory.appendingPathComponent(step.name, isDirectory: true)
    }

    /// The finished artifact folder of an upstream step (`reports/.artifacts/<step>/`); throws
    /// ``UndeclaredUpstreamError`` when `step` is not among this step's declared upstream steps.
    public func upstreamArtifacts(_ step: any AnalysisStep.Type) throws -> URL {
        try checkDeclared(step)
        return reportDirectory.appendingPathComponent(".artifacts", isDirectory: true)
            .appendingPathComponent(step.name, isDirectory: true)
    }

    private func checkDeclared(_ step: any AnalysisStep.Type) throws {
        guard readsAllSteps || declaredUpstream.contains(step.name) else {
            throw UndeclaredUpstreamError(step: stepName, upstream: step.name, declared: declaredUpstream)
        }
    }

    /// Runs `body` as a named phase, recording its wall time (shown in the report).
    public func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        ProgressLog.shared.phase(step: stepName, name)
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.lock(); phaseSeconds.append((name, seconds)); lock.unlock()
            if seconds >= 1 { ProgressLog.shared.line("[\(stepName)] \(name): \(String(format: "%.1f", seconds)) s") }
        }
        return try body()
    }

    /// Records a timing measured elsewhere (work that ran inside a pooled phase), shown like a phase.
    public func recordPhase(_ name: String, seconds: Double) {
        lock.lock(); phaseSeconds.append((name, seconds)); lock.unlock()
    }

    /// Phase timings recorded so far, in order.
    public var phaseTimings: [(phase: String, seconds: Double)] {
        lock.lock(); defer { lock.unlock() }
        return phaseSeconds.map { (phase: $0.0, seconds: $0.1) }
    }

    /// A file in this step's output folder, and its path relative to the report root
    /// (what ``SectionDocument/Figure/path`` expects).
    public func outputFile(_ name: String) -> (url: URL, reportPath: String) {
        (outputDirectory.appendingPathComponent(name), "\(stepName)/\(name)")
    }

    /// Writes this step's section document (`section.json`).
    public func writeSection(_ section: SectionDocument) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(section).write(to: outputDirectory.appendingPathComponent("section.json"))
    }

    /// Writes a file directly into the report root (`reports/index.html`) atomically, and
    /// records it among the step's outputs. Only for files that must live at the root.
    public func writeReportRootFile(_ data: Data, named name: String) throws {
        try AtomicFile.write(data, to: reportDirectory.appendingPathComponent(name))
        lock.lock(); rootFiles.append(name); lock.unlock()
    }

    /// Files written with ``writeReportRootFile(_:named:)``, relative to the report root.
    public var reportRootFiles: [String] {
        lock.lock(); defer { lock.unlock() }
        return rootFiles
    }

    /// Logs `done / total` for a long loop, at most about once a second (and always at the end).
    public func progress(_ label: String, done: Int, total: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        let due = done >= total || now - lastProgressAt > 1_000_000_000
        if due { lastProgressAt = now }
        lock.unlock()
        guard due else { return }
        let percent = total > 0 ? Double(done) / Double(total) * 100 : 100
        ProgressLog.shared.line("[\(stepName)] \(label): \(done)/\(total) (\(String(format: "%.0f", percent)) %)")
    }

    /// Logs a free-form note for this step.
    public func note(_ text: String) {
        ProgressLog.shared.line("[\(stepName)] \(text)")
    }

    /// Writes an `Encodable` value as pretty JSON into the output folder.
    public func writeJSON<T: Encodable>(_ value: T, to name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: outputDirectory.appendingPathComponent(name))
    }
}

/// A step read the outputs of a step it did not declare upstream.
public struct UndeclaredUpstreamError: Error, CustomStringConvertible, Sendable {
    public let step: String
    public let upstream: String
    public let declared: [String]
    public var description: String {
        "step '\(step)' reads the outputs of '\(upstream)' but does not declare it upstream "
            + "(declared: \(declared.isEmpty ? "none" : declared.joined(separator: ", "))); add \(upstream)'s step type to \(step)'s `upstream`"
    }
}

/// Progress and phase messages on stderr.
public final class ProgressLog: @unchecked Sendable {
    public static let shared = ProgressLog()
    private let lock = NSLock()
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the process started logging.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    public func phase(step: String, _ phase: String) {
        line("[\(step)] \(phase)")
    }

    public func line(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data((String(format: "%7.1fs ", elapsed) + text + "\n").utf8))
    }
}
