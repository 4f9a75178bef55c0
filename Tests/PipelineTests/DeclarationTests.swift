import Foundation
@testable import Pipeline
import Reporting
import Testing

/// A step reading `load`'s artifacts without declaring `load` upstream.
struct SneakyStep: AnalysisStep {
    static let name = "sneaky"
    static let title = "Sneaky"
    static let version = 1
    static let readsData = false

    func run(in context: StepContext) throws {
        _ = try context.upstreamArtifacts(LoadStep.self)
    }
}

/// A step that declares an artifact and a figure and writes neither.
struct ForgetfulStep: AnalysisStep {
    static let name = "forgetful"
    static let title = "Forgetful"
    static let version = 1
    static let readsData = false
    static let artifacts = ["promised.bin"]
    static let figures = ["chart.png"]

    func run(in context: StepContext) throws {
        try context.writeSection(SectionDocument(step: Self.name, title: Self.title, summary: "Forgot."))
    }
}

/// Settings with a nested value and a field the old hand-written maps would have left out.
struct NestedSettingsStep: AnalysisStep {
    struct Inner: Codable, Sendable { var rate: Double; var flag: Bool }
    struct Configuration: Codable, Sendable { var name: String; var inner: Inner }
    static let name = "nested"
    static let title = "Nested"
    static let version = 1
    static let readsData = false
    var configuration: Configuration

    func run(in context: StepContext) throws {}
}

@Test func readingAnUndeclaredUpstreamFailsNamingBothSteps() throws {
    let harness = try Harness()
    let runner = harness.runner(steps: [LoadStep(log: harness.log), SneakyStep()])
    do {
        try runner.run()
        Issue.record("the sneaky step should have failed")
    } catch let failure as StepFailure {
        let message = String(describing: failure)
        #expect(failure.step == "sneaky")
        #expect(failure.underlying is UndeclaredUpstreamError)
        #expect(message.contains("'sneaky'") && message.contains("'load'") && message.contains("does not declare"))
    }
    #expect(try harness.manifest().steps["sneaky"] == nil)
}

@Test func missingDeclaredArtifactsAndFiguresFailTheStepAndKeepNoOutputs() throws {
    let harness = try Harness()
    let runner = harness.runner(steps: [ForgetfulStep()])
    #expect(throws: StepFailure.self) { try runner.run() }
    #expect(!FileManager.default.fileExists(atPath: harness.reports.appendingPathComponent("forgetful").path))
    do {
        try runner.run()
    } catch {
        #expect(String(describing: error).contains("promised.bin, chart.png"))
    }
}

@Test func anIdenticalUpstreamRerunDoesNotRerunDownstream() throws {
    let harness = try Harness()
    try harness.runner().run()
    let firstHash = try #require(try harness.manifest().steps["load"]?.outputHash)
    // Forcing `load` rewrites identical artifacts: `model` keeps its fingerprint and is reused.
    let summary = try harness.runner().run(RunRequest(selection: .only(["load"]), force: true))
    let ran = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.name, $0.ran) })
    #expect(ran["load"] == true)
    #expect(try harness.manifest().steps["load"]?.outputHash == firstHash)
    let again = try harness.runner().run()
    let ranAgain = Dictionary(uniqueKeysWithValues: again.outcomes.map { ($0.name, $0.ran) })
    #expect(ranAgain["model"] == false, "an identical rerun of load must not rerun model")
    #expect(harness.log.count("model") == 1)
}

@Test func downstreamIdentityIsTheUpstreamContentHash() throws {
    let harness = try Harness()
    try harness.runner().run()
    let manifest = try harness.manifest()
    let hash = try #require(manifest.steps["load"]?.outputHash)
    #expect(manifest.steps["model"]?.upstream == ["load": "content:\(hash)"])
    // A different seed writes a different users.txt, so the hash changes.
    try harness.runner(seed: 9).run()
    #expect(try harness.manifest().steps["load"]?.outputHash != hash)
}

@Test func contentHashCoversPathsAndContents() throws {
    let folder = try TemporaryFolder()
    try Data("a".utf8).write(to: folder.file("x.bin"))
    let base = try PipelineRunner.contentHash(of: ["x.bin"], in: folder.url)
    #expect(try PipelineRunner.contentHash(of: ["x.bin"], in: folder.url) == base)
    try Data("a".utf8).write(to: folder.file("y.bin"))
    #expect(try PipelineRunner.contentHash(of: ["y.bin"], in: folder.url) != base)
    try Data("b".utf8).write(to: folder.file("x.bin"))
    #expect(try PipelineRunner.contentHash(of: ["x.bin"], in: folder.url) != base)
}

@Test func canonicalConfigurationIsSortedAndCoversNestedFields() throws {
    let step = NestedSettingsStep(configuration: .init(name: "n", inner: .init(rate: 0.5, flag: true)))
    #expect(try step.canonicalConfiguration() == #"{"inner":{"flag":true,"rate":0.5},"name":"n"}"#)
    #expect(try step.configurationFields() == ["inner": #"{"flag":true,"rate":0.5}"#, "name": "n"])
    var changed = step
    changed.configuration.inner.flag = false
    #expect(try changed.canonicalConfiguration() != step.canonicalConfiguration())
    #expect(try NotesStep(log: RunLog()).canonicalConfiguration() == "{}")
}
