import Core
import Foundation
import Reporting

/// Which steps a run covers.
public struct RunRequest: Sendable {
    /// Which steps are asked for; their missing or out-of-date upstream steps run too.
    public enum Selection: Sendable, Equatable {
        /// Every step.
        case all
        /// Only the named steps (plus upstream steps whose outputs are missing or stale).
        case only([String])
        /// The named step and every step after it.
        case from(String)
    }

    public var selection: Selection
    /// Rerun the selected steps even when their outputs are up to date.
    public var force: Bool
    /// Also bring the report (steps that read all sections) up to date.
    public var refreshReport: Bool

    /// Load the data (and print its summary) even when no step that runs needs it.
    public var loadData: Bool

    public init(selection: Selection = .all, force: Bool = false, refreshReport: Bool = false, loadData: Bool = false) {
        self.selection = selection
        self.force = force
        self.refreshReport = refreshReport
        self.loadData = loadData
    }
}

/// What happened to one step in a run.
public struct StepOutcome: Sendable, Equatable {
    public var name: String
    /// `false` when the step's outputs were reused.
    public var ran: Bool
    public var wallSeconds: Double
    public var fingerprint: String
}

/// The result of a successful run.
public struct RunSummary: Sendable {
    public var outcomes: [StepOutcome]
    public var totalSeconds: Double
    /// Whether the data was loaded in this run.
    public var loadedData: Bool
}

/// A step that threw; the previous outputs and the manifest entry of the step are untouched.
public struct StepFailure: Error, CustomStringConvertible {
    public let step: String
    public let underlying: any Error
    public var description: String { "step '\(step)' failed: \(String(describing: underlying))" }
}

/// A bad run request or step list (unknown step name, upstream out of order).
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs analysis steps in order with DVC/targets-style caching.
///
/// Each step's fingerprint hashes its name, version, canonical configuration JSON, derived seed,
/// the skip-invalid flag, the hashes of the data files (when it reads data) and the content hash
/// of each declared upstream step's artifacts. A step whose fingerprint matches the
/// manifest and whose outputs all exist is skipped. Otherwise it runs into temporary folders
/// (`reports/.tmp-<step>-<pid>/`, `reports/.artifacts/.tmp-<step>-<pid>/`) that replace
/// `reports/<step>/` and `reports/.artifacts/<step>/` only when it succeeds.
public final class PipelineRunner {
    public let steps: [any AnalysisStep]
    public let options: StepOptions
    /// The data, loaded at most once and shared by all steps of the run.
    public let sharedData: SharedData
    private let log: ProgressLog
    private let fileManager = FileManager.default

    public init(steps: [any AnalysisStep], options: StepOptions, dataSource: any DataSource, log: ProgressLog = .shared) {
        self.steps = steps
        self.options = options
        self.sharedData = SharedData(source: dataSource, log: log)
        self.log = log
    }

    /// The report folder.
    public var reportDirectory: URL { options.reportDirectory.standardizedFileURL }
    /// `reports/manifest.json`.
    public var manifestURL: URL { reportDirectory.appendingPathComponent("manifest.json") }
    /// `reports/.artifacts/`.
    public var artifactsRoot: URL { reportDirectory.appendingPathComponent(".artifacts", isDirectory: true) }

    private static func name(of step: any AnalysisStep) -> String { type(of: step).name }

    /// Checks names and upstream order; returns the step names in order.
    public func validatedNames() throws -> [String] {
        let names = steps.map(Self.name)
        var seen = Set<String>()
        for step in steps {
            let stepType = type(of: step)
            guard !seen.contains(stepType.name) else { throw PipelineError("step '\(stepType.name)' is listed twice") }
            for upstream in stepType.upstreamNames where !seen.contains(upstream) {
                if names.contains(upstream) {
                    throw PipelineError("step '\(stepType.name)' needs '\(upstream)', which comes after it in the step list")
                }
                throw PipelineError("step '\(stepType.name)' needs '\(upstream)', which is not an available step (available: \(names.joined(separator: ", ")))")
            }
            seen.insert(stepType.name)
        }
        return names
    }

    /// The steps a request covers, in order, and which of them are forced.
    public func plan(_ request: RunRequest) throws -> (run: [any AnalysisStep], forced: Set<String>) {
        let names = try validatedNames()
        func check(_ name: String) throws {
            guard names.contains(name) else {
                throw PipelineError("unknown step '\(name)' (available: \(names.joined(separator: ", ")))")
            }
        }
        var selected: Set<String>
        switch request.selection {
        case .all:
            selected = Set(names)
        case let .only(list):
            for name in list { try check(name) }
            selected = Set(list)
        case let .from(first):
            try check(first)
            selected = Set(names.drop { $0 != first })
        }
        let forced = request.force ? selected : []
        if request.refreshReport {
            for step in steps where type(of: step).readsAllSections { selected.insert(Self.name(of: step)) }
        }
        // Upstream closure, walking backwards so each step's needs are added before they are visited.
        var needed = selected
        for step in steps.reversed() where needed.contains(Self.name(of: step)) {
            for upstream in type(of: step).upstreamNames { needed.insert(upstream) }
        }
        return (steps.filter { needed.contains(Self.name(of: $0)) }, forced)
    }

    /// Runs the request. Throws ``StepFailure`` when a step fails (after cleaning up).
    @discardableResult
    public func run(_ request: RunRequest = RunRequest()) throws -> RunSummary {
        let runStart = DispatchTime.now().uptimeNanoseconds
        let (runList, forced) = try plan(request)
        try fileManager.createDirectory(at: artifactsRoot, withIntermediateDirectories: true)
        let lock = try RunLock(reportDirectory: reportDirectory)
        defer { lock.release() }
        removeAbandonedTemporaryFolders()
        var manifest = loadManifest()
        var outcomes: [StepOutcome] = []
        if request.loadData {
            _ = try sharedData.data()
            _ = try hashedInputs(&manifest)
            recordData(into: &manifest)
        }

        for step in runList {
            let stepType = type(of: step)
            let name = stepType.name
            let seed = StepSeed.derive(globalSeed: options.seed, stepName: name)
            let inputs = stepType.readsData ? try hashedInputs(&manifest) : []
            let upstream = upstreamIdentities(of: step, in: manifest)
            let configuration = try step.canonicalConfiguration()
            let fingerprint = try fingerprint(of: step, inputs: inputs, upstream: upstream)
            let previous = manifest.steps[name]
            let reason = forced.contains(name) ? "forced"
                : rerunReason(previous, fingerprint: fingerprint, seed: seed, inputs: inputs, upstream: upstream,
                              version: stepType.version, configuration: configuration)

            guard let reason else {
                manifest.steps[name]?.cachedInLastRun = true
                log.line("[\(name)] up to date (fingerprint \(fingerprint.prefix(8))), reusing outputs from \(previous?.finishedAt ?? "?")")
                outcomes.append(StepOutcome(name: name, ran: false, wallSeconds: 0, fingerprint: fingerprint))
                continue
            }

            log.line("[\(name)] running: \(reason)")
            let result = try execute(step, seed: seed, manifest: manifest)
            manifest.steps[name] = StepRecord(
                name: name, title: stepType.title, fingerprint: fingerprint, version: stepType.version,
                configuration: try step.configurationFields(), canonicalConfiguration: configuration, seed: seed,
                skipInvalid: options.skipInvalid, inputs: inputs, upstream: upstream, finishedAt: Self.timestamp(),
                wallSeconds: result.wallSeconds, phases: result.phases, outputs: result.outputs,
                outputHash: result.outputHash, cachedInLastRun: false)
            recordData(into: &manifest)
            manifest.configuration = options.globalConfiguration
            try manifest.save(to: manifestURL)
            log.line("[\(name)] done in \(Self.seconds(result.wallSeconds)), \(result.outputs.count) files")
            outcomes.append(StepOutcome(name: name, ran: true, wallSeconds: result.wallSeconds, fingerprint: fingerprint))
        }

        recordData(into: &manifest)
        manifest.configuration = options.globalConfiguration
        try manifest.save(to: manifestURL)
        let total = Double(DispatchTime.now().uptimeNanoseconds - runStart) / 1e9
        let summary = RunSummary(outcomes: outcomes, totalSeconds: total, loadedData: sharedData.isLoaded)
        logSummary(summary)
        return summary
    }

    /// The manifest on disk; an unreadable one is replaced by an empty one (every step reruns).
    private func loadManifest() -> Manifest {
        var manifest: Manifest
        do {
            manifest = try Manifest.load(from: manifestURL)
        } catch {
            // The manifest is only a cache of what was computed: rebuild it by rerunning every step.
            log.line("warning: \(error); every step will run")
            manifest = Manifest()
        }
        manifest.tool = .current
        return manifest
    }

    /// Why a step must run (nil when its outputs can be reused).
    private func rerunReason(_ previous: StepRecord?, fingerprint: String, seed: UInt64, inputs: [InputFileRecord],
                             upstream: [String: String], version: Int, configuration: String) -> String? {
        guard let previous else { return "no previous run" }
        if previous.fingerprint != fingerprint {
            let changes = changeDescription(previous, seed: seed, inputs: inputs, upstream: upstream, version: version,
                                            configuration: configuration)
            return "inputs changed (\(changes))"
        }
        return missingOutput(of: previous).map { "output \($0) is missing" }
    }

    // MARK: Fingerprints

    /// The fingerprint `step` gets in this runner from the given data files and upstream identities.
    public func fingerprint(of step: any AnalysisStep, inputs: [InputFileRecord], upstream: [String: String]) throws -> String {
        let stepType = type(of: step)
        return Self.fingerprint(name: stepType.name, version: stepType.version, configuration: try step.canonicalConfiguration(),
                                seed: StepSeed.derive(globalSeed: options.seed, stepName: stepType.name),
                                skipInvalid: options.skipInvalid, inputs: inputs, upstream: upstream)
    }

    /// The fingerprint of a step: a hash of a canonical text of everything its outputs depend on.
    /// `configuration` is the step's canonical configuration JSON (``AnalysisStep/canonicalConfiguration()``).
    public static func fingerprint(name: String, version: Int, configuration: String, seed: UInt64,
                                   skipInvalid: Bool, inputs: [InputFileRecord], upstream: [String: String]) -> String {
        var text = "step=\(name)\nversion=\(version)\nseed=\(seed)\nskipInvalid=\(skipInvalid)\n"
        text += "config:\(configuration.utf8.count):\(configuration)\n"
        for input in inputs {
            text += "input:\(input.role)=\(input.hash)\n"
        }
        for (key, value) in upstream.sorted(by: { $0.key < $1.key }) {
            text += "upstream:\(key)=\(value)\n"
        }
        return hexDigest(FastHasher.hash(Data(text.utf8)))
    }

    /// Upstream step → its identity in the manifest: the content hash of its artifacts (so an
    /// identical rerun upstream does not cascade), or `missing`. A step that reads all sections
    /// depends on every other step's last run (fingerprint and finish time), since it reports
    /// timings and sections, not only artifacts.
    func upstreamIdentities(of step: any AnalysisStep, in manifest: Manifest) -> [String: String] {
        let stepType = type(of: step)
        var identities: [String: String] = [:]
        if stepType.readsAllSections {
            for name in steps.map(Self.name) where name != stepType.name {
                identities[name] = manifest.steps[name].map { "\($0.fingerprint)@\($0.finishedAt)" } ?? "missing"
            }
            return identities
        }
        for name in stepType.upstreamNames {
            identities[name] = manifest.steps[name]?.outputHash.map { "content:\($0)" } ?? "missing"
        }
        return identities
    }

    private func changeDescription(_ previous: StepRecord, seed: UInt64, inputs: [InputFileRecord],
                                   upstream: [String: String], version: Int, configuration: String) -> String {
        var changes: [String] = []
        if previous.version != version { changes.append("version \(previous.version) → \(version)") }
        if previous.seed != seed { changes.append("seed") }
        if previous.canonicalConfiguration != configuration { changes.append("configuration") }
        if previous.skipInvalid != options.skipInvalid { changes.append("skip-invalid") }
        if previous.inputs.map(\.hash) != inputs.map(\.hash) { changes.append("data files") }
        let upstreamChanged = upstream.keys.sorted().filter { previous.upstream[$0] != upstream[$0] }
        if !upstreamChanged.isEmpty { changes.append("upstream " + upstreamChanged.joined(separator: ", ")) }
        return changes.isEmpty ? "fingerprint" : changes.joined(separator: "; ")
    }

    private func missingOutput(of record: StepRecord) -> String? {
        let folder = reportDirectory.appendingPathComponent(record.name)
        if !fileManager.fileExists(atPath: folder.path) { return "\(record.name)/" }
        for output in record.outputs where !fileManager.fileExists(atPath: reportDirectory.appendingPathComponent(output).path) {
            return output
        }
        return nil
    }

    // MARK: Input hashing

    /// Hashes the data files, reusing cached hashes while size and modification time are unchanged.
    func hashedInputs(_ manifest: inout Manifest) throws -> [InputFileRecord] {
        try sharedData.inputs().map { input in
            let path = input.url.standardizedFileURL.path
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try fileManager.attributesOfItem(atPath: path)
            } catch {
                throw PipelineError("cannot read the \(input.role) file \(path): it does not exist or is not readable")
            }
            let byteCount = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modifiedAt = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            if let cached = manifest.fileHashes[path], cached.byteCount == byteCount, cached.modifiedAt == modifiedAt {
                return InputFileRecord(role: input.role, path: path, byteCount: byteCount, hash: cached.hash)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let hash = hexDigest(try FastHasher.hashFile(at: input.url))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            log.line("[data] hashed \(input.url.lastPathComponent) (\(Self.megabytes(byteCount))) in \(Self.seconds(seconds))")
            manifest.fileHashes[path] = FileHashRecord(byteCount: byteCount, modifiedAt: modifiedAt, hash: hash)
            return InputFileRecord(role: input.role, path: path, byteCount: byteCount, hash: hash)
        }
    }

    private func recordData(into manifest: inout Manifest) {
        guard sharedData.isLoaded else { return }
        let inputs = (try? hashedInputs(&manifest)) ?? []
        if let record = sharedData.record(inputs: inputs) { manifest.data = record }
    }

    // MARK: Running one step

    private struct ExecutionResult {
        var wallSeconds: Double
        var phases: [PhaseTiming]
        var outputs: [String]
        var outputHash: String
    }

    private func execute(_ step: any AnalysisStep, seed: UInt64, manifest: Manifest) throws -> ExecutionResult {
        let name = Self.name(of: step)
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporaryOutput = reportDirectory.appendingPathComponent(".tmp-\(name)-\(pid)", isDirectory: true)
        let temporaryArtifacts = artifactsRoot.appendingPathComponent(".tmp-\(name)-\(pid)", isDirectory: true)
        let cleanUp = { [fileManager] in
            try? fileManager.removeItem(at: temporaryOutput)
            try? fileManager.removeItem(at: temporaryArtifacts)
        }
        cleanUp()
        try fileManager.createDirectory(at: temporaryOutput, withIntermediateDirectories: true)
        try fileManager.createDirectory(at: temporaryArtifacts, withIntermediateDirectories: true)
        let shared = sharedData
        let context = StepContext(stepName: name, seed: seed, reportDirectory: reportDirectory,
                                  outputDirectory: temporaryOutput, artifactDirectory: temporaryArtifacts,
                                  options: options, declaredUpstream: type(of: step).upstreamNames,
                                  readsAllSteps: type(of: step).readsAllSections, data: { try shared.data() })
        context.manifest = manifest
        context.reportedSteps = steps.filter { !type(of: $0).readsAllSections }
            .map { ReportedStep(name: type(of: $0).name, title: type(of: $0).title) }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try step.run(in: context)
        } catch {
            cleanUp()
            throw StepFailure(step: name, underlying: error)
        }
        let wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let finalOutput = reportDirectory.appendingPathComponent(name, isDirectory: true)
        let finalArtifacts = artifactsRoot.appendingPathComponent(name, isDirectory: true)
        let artifactFiles = listFiles(in: temporaryArtifacts, prefix: "").map { String($0.dropFirst()) }.sorted()
        let missing = type(of: step).artifacts.filter { !artifactFiles.contains($0) }
            + type(of: step).figures.filter { !fileManager.fileExists(atPath: temporaryOutput.appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            cleanUp()
            throw StepFailure(step: name, underlying: PipelineError(
                "step '\(name)' did not write its declared output(s) \(missing.joined(separator: ", "))"))
        }
        do {
            try promote(temporaryOutput, to: finalOutput, tag: "\(name)-\(pid)")
            let artifactEntries = (try? fileManager.contentsOfDirectory(atPath: temporaryArtifacts.path)) ?? []
            if artifactEntries.isEmpty {
                // No artifacts this time: drop the empty folder and any stale previous artifacts.
                try? fileManager.removeItem(at: temporaryArtifacts)
                try? fileManager.removeItem(at: finalArtifacts)
            } else {
                try promote(temporaryArtifacts, to: finalArtifacts, tag: "\(name)-\(pid)")
            }
        } catch {
            cleanUp()
            throw StepFailure(step: name, underlying: error)
        }
        var outputs = listFiles(in: finalOutput, prefix: name)
        outputs += artifactFiles.map { ".artifacts/\(name)/\($0)" }
        outputs += context.reportRootFiles
        return ExecutionResult(wallSeconds: wallSeconds,
                               phases: context.phaseTimings.map { PhaseTiming(name: $0.phase, seconds: $0.seconds) },
                               outputs: outputs.sorted(),
                               outputHash: try Self.contentHash(of: artifactFiles, in: finalArtifacts))
    }

    /// The hash of a step's artifacts (relative path and content of each file, in path order):
    /// what downstream steps read, so it changes exactly when their input changes.
    static func contentHash(of files: [String], in folder: URL) throws -> String {
        var text = "artifacts=\(files.count)\n"
        for file in files.sorted() {
            text += "\(file.utf8.count):\(file)=\(hexDigest(try FastHasher.hashFile(at: folder.appendingPathComponent(file))))\n"
        }
        return hexDigest(FastHasher.hash(Data(text.utf8)))
    }

    /// Moves `source` to `destination`: the old folder is renamed aside, the new one renamed in,
    /// then the old one deleted. If the second rename fails the old folder is put back.
    func promote(_ source: URL, to destination: URL, tag: String) throws {
        let aside = destination.deletingLastPathComponent().appendingPathComponent(".old-\(tag)", isDirectory: true)
        try? fileManager.removeItem(at: aside)
        let hadOld = fileManager.fileExists(atPath: destination.path)
        if hadOld { try AtomicFile.replace(aside, with: destination) }
        do {
            try AtomicFile.replace(destination, with: source)
        } catch {
            if hadOld { try? AtomicFile.replace(destination, with: aside) }
            throw error
        }
        if hadOld { try? fileManager.removeItem(at: aside) }
    }

    private func listFiles(in folder: URL, prefix: String) -> [String] {
        guard let enumerator = fileManager.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        var files: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard path.hasPrefix(base + "/") else { continue }
            files.append(prefix + "/" + path.dropFirst(base.count + 1))
        }
        return files
    }

    /// Deletes `.tmp-*` / `.old-*` folders left behind by runs whose process no longer exists.
    func removeAbandonedTemporaryFolders() {
        for folder in [reportDirectory, artifactsRoot] {
            guard let entries = try? fileManager.contentsOfDirectory(atPath: folder.path) else { continue }
            for entry in entries where entry.hasPrefix(".tmp-") || entry.hasPrefix(".old-") {
                guard let pidText = entry.split(separator: "-").last, let pid = Int32(pidText) else { continue }
                if pid == ProcessInfo.processInfo.processIdentifier { continue }
                if kill(pid, 0) != 0 && errno == ESRCH {
                    try? fileManager.removeItem(at: folder.appendingPathComponent(entry))
                }
            }
        }
    }

    // MARK: Logging

    private func logSummary(_ summary: RunSummary) {
        var lines = ["summary (\(Self.seconds(summary.totalSeconds)) in total):"]
        let width = max(8, summary.outcomes.map(\.name.count).max() ?? 0)
        for outcome in summary.outcomes {
            let padded = outcome.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(padded)  " + (outcome.ran ? "ran in \(Self.seconds(outcome.wallSeconds))" : "cached"))
        }
        log.line(lines.joined(separator: "\n"))
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.2f s", value) : String(format: "%.1f s", value)
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

/// An exclusive `flock` on `reports/.lock`, so two runs never write the same report folder.
final class RunLock {
    private var descriptor: Int32

    init(reportDirectory: URL) throws {
        let path = reportDirectory.appendingPathComponent(".lock").path
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PipelineError("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            descriptor = -1
            throw PipelineError("another run is writing \(reportDirectory.path) (lock \(path) is held); wait for it to finish")
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
