import Foundation
@testable import Pipeline
import Reporting

/// Counts how often each fake step ran and how often data was loaded.
final class RunLog: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func record(_ name: String) { lock.lock(); counts[name, default: 0] += 1; lock.unlock() }
    func count(_ name: String) -> Int { lock.lock(); defer { lock.unlock() }; return counts[name, default: 0] }
}

/// A temporary folder removed when the value goes away.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipeline-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// The input of the fake steps: the engine knows nothing about it.
struct FakeInput: Sendable, Codable, Equatable {
    var trainUserCount = 2
    var testUserCount = 1
}

/// A data source counting its loads, with a profile for the manifest.
struct CountingDataSource: DataSource {
    let data: FakeInput
    let inputs: [DataInput]
    let log: RunLog
    func prepareInputs(log progress: ProgressLog) throws -> [DataInput] { inputs }
    func load(_ inputs: [DataInput], log progress: ProgressLog) throws -> FakeInput {
        log.record("data-load")
        return data
    }
    func record(of loaded: FakeInput, inputs: [InputFileRecord], loadSeconds: Double) throws -> DataRecord {
        DataRecord(inputs: inputs, loadSeconds: loadSeconds, summaryText: "users: \(loaded.trainUserCount)",
                   profile: try JSONValue(encoding: loaded))
    }
}

/// A fake data-reading step: writes a section with a figure and a table, and an artifact.
struct LoadStep: AnalysisStep {
    static let name = "load"
    static let title = "Loading <the> data"
    static let version = 1
    static let artifacts = ["users.txt"]
    let log: RunLog
    var configuration: [String: String] = [:]
    var failure: String? = nil

    func run(in context: StepContext) throws {
        log.record(Self.name)
        let data = try context.phase("count users") { try context.input(FakeInput.self) }
        try Data("seed=\(context.seed) users=\(data.trainUserCount)".utf8)
            .write(to: context.artifactDirectory.appendingPathComponent("users.txt"))
        try Data([0x89, 0x50, 0x4e, 0x47]).write(to: context.outputFile("users.png").url)
        if let failure { throw FakeFailure(message: failure) }
        try context.writeSection(SectionDocument(
            step: Self.name, title: Self.title, summary: "Two <train> users & one test user.",
            blocks: [.figure(.init(path: context.outputFile("users.png").reportPath, caption: "Users")),
                     .table(.init(caption: "Counts", columns: ["file", "users"], rows: [["train|a", "2"], ["test", "1"]],
                                  numericColumns: [1]))],
            highlights: [.init(label: "Users", value: "\(data.trainUserCount + data.testUserCount)")]))
    }
}

/// A fake step reading `load`'s artifact.
struct ModelStep: AnalysisStep {
    static let name = "model"
    static let title = "Model"
    static let version = 1
    static let upstream: [any AnalysisStep.Type] = [LoadStep.self]
    static let readsData = false
    let log: RunLog
    var configuration: [String: String] = [:]

    func run(in context: StepContext) throws {
        log.record(Self.name)
        let users = try String(contentsOf: try context.upstreamArtifacts(LoadStep.self).appendingPathComponent("users.txt"), encoding: .utf8)
        try context.writeJSON(["upstream": users], to: "model.json")
        try context.writeSection(SectionDocument(step: Self.name, title: Self.title, summary: "Read: \(users)",
                                                 highlights: [.init(label: "Best CV AUC", value: "0.8123")]))
    }
}

/// A fake step with no data and no upstream.
struct NotesStep: AnalysisStep {
    static let name = "notes"
    static let title = "Notes"
    static let version = 1
    static let readsData = false
    let log: RunLog

    func run(in context: StepContext) throws {
        log.record(Self.name)
        try context.writeSection(SectionDocument(step: Self.name, title: Self.title, summary: "No data needed."))
    }
}

/// The report step over the fake steps.
struct FakeReportStep: AnalysisStep {
    static let name = "report"
    static let title = "Report"
    static let version = 1
    static let readsData = false
    static let readsAllSections = true
    let log: RunLog
    var reported: [ReportedStep] = [ReportedStep(name: "load", title: LoadStep.title),
                                    ReportedStep(name: "model", title: ModelStep.title),
                                    ReportedStep(name: "notes", title: NotesStep.title),
                                    ReportedStep(name: "later", title: "A later step")]

    func run(in context: StepContext) throws {
        log.record(Self.name)
        let input = try context.manifest.data?.profile?.decode(FakeInput.self)
        let overview = input.map {
            DataOverview(facts: [Fact("Train users", "\($0.trainUserCount)")], coverageRows: [], skipped: [],
                         skippedExamples: [], qualityNotes: [])
        }
        try ReportPublisher.publish(in: context, steps: reported, subtitle: "Fake analysis", dataOverview: overview)
    }
}

struct FakeFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A runner over the fake steps in a fresh report folder.
struct Harness {
    let folder: TemporaryFolder
    let log = RunLog()
    var trainFile: URL { folder.file("train.json") }
    var testFile: URL { folder.file("test.json") }
    var reports: URL { folder.url.appendingPathComponent("reports", isDirectory: true) }

    init() throws {
        folder = try TemporaryFolder()
        try Data("{\"train-1\":{}}".utf8).write(to: trainFile)
        try Data("{\"test-1\":{}}".utf8).write(to: testFile)
    }

    func options(seed: UInt64 = 2017) -> StepOptions {
        StepOptions(out: reports.path, seed: seed)
    }

    func runner(steps: [any AnalysisStep]? = nil, seed: UInt64 = 2017, loadConfiguration: [String: String] = [:],
                failure: String? = nil) -> PipelineRunner {
        let source = CountingDataSource(data: FakeInput(),
                                        inputs: [DataInput(role: "train", url: trainFile), DataInput(role: "test", url: testFile)],
                                        log: log)
        let list = steps ?? [LoadStep(log: log, configuration: loadConfiguration, failure: failure), ModelStep(log: log),
                             NotesStep(log: log), FakeReportStep(log: log)]
        return PipelineRunner(steps: list, options: options(seed: seed), dataSource: source)
    }

    func manifest() throws -> Manifest { try Manifest.load(from: reports.appendingPathComponent("manifest.json")) }
}
