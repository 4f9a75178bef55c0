import Foundation
@testable import Pipeline
import Reporting
import Testing

@Test func secondRunReusesEveryStep() throws {
    let harness = try Harness()
    let first = try harness.runner().run()
    #expect(first.outcomes.map(\.ran) == [true, true, true, true])
    #expect(harness.log.count("load") == 1 && harness.log.count("model") == 1 && harness.log.count("report") == 1)

    let second = try harness.runner().run()
    #expect(second.outcomes.map(\.ran) == [false, false, false, false])
    #expect(harness.log.count("load") == 1 && harness.log.count("model") == 1 && harness.log.count("notes") == 1)
    #expect(second.loadedData == false)
    let manifest = try harness.manifest()
    #expect(manifest.steps.values.allSatisfy { $0.cachedInLastRun })
    #expect(manifest.steps["load"]?.outputs.contains(".artifacts/load/users.txt") == true)
    #expect(manifest.steps["report"]?.outputs.contains("index.html") == true)
    #expect(manifest.steps["load"]?.phases.map(\.name) == ["count users"])
    #expect(try manifest.data?.profile?.decode(FakeInput.self) == FakeInput())
}

@Test func dataIsLoadedOncePerProcess() throws {
    struct SecondReader: AnalysisStep {
        static let name = "second"; static let title = "Second"; static let version = 1
        func run(in context: StepContext) throws { _ = try context.input(FakeInput.self); _ = try context.input(FakeInput.self) }
    }
    let harness = try Harness()
    try harness.runner(steps: [LoadStep(log: harness.log), SecondReader()]).run()
    #expect(harness.log.count("data-load") == 1)
}

@Test func forceRerunsOnlyTheSelectedSteps() throws {
    let harness = try Harness()
    try harness.runner().run()
    let summary = try harness.runner().run(RunRequest(selection: .only(["notes"]), force: true, refreshReport: true))
    #expect(summary.outcomes.map(\.name) == ["notes", "report"])
    #expect(summary.outcomes.map(\.ran) == [true, true], "the report reruns because a section changed")
    #expect(harness.log.count("notes") == 2 && harness.log.count("load") == 1 && harness.log.count("model") == 1)

    let all = try harness.runner().run(RunRequest(force: true))
    #expect(all.outcomes.allSatisfy { $0.ran })
}

@Test func seedChangeRerunsEverySeededStep() throws {
    let harness = try Harness()
    try harness.runner(seed: 1).run()
    let summary = try harness.runner(seed: 2).run()
    #expect(summary.outcomes.allSatisfy { $0.ran })
    let manifest = try harness.manifest()
    #expect(manifest.steps["load"]?.seed == StepSeed.derive(globalSeed: 2, stepName: "load"))
    #expect(manifest.configuration?.seed == 2)
}

@Test func configurationChangeRerunsTheStepButNotADownstreamStepWhoseInputIsUnchanged() throws {
    let harness = try Harness()
    try harness.runner(loadConfiguration: ["bins": "10"]).run()
    let summary = try harness.runner(loadConfiguration: ["bins": "20"]).run()
    let ran = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.name, $0.ran) })
    // `load` writes the same users.txt whatever `bins` is, so `model`'s input did not change.
    #expect(ran == ["load": true, "model": false, "notes": false, "report": true])
    let artifact = try String(contentsOf: harness.reports.appendingPathComponent(".artifacts/load/users.txt"), encoding: .utf8)
    #expect(artifact.hasPrefix("seed=\(StepSeed.derive(globalSeed: 2017, stepName: "load"))"))
}

@Test func inputFileChangeRerunsDataReadingSteps() throws {
    let harness = try Harness()
    try harness.runner().run()
    try Data("{\"train-1\":{\"changed\":1}}".utf8).write(to: harness.trainFile)
    let summary = try harness.runner().run()
    let ran = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.name, $0.ran) })
    // The fake source loads the same in-memory data, so `load` writes the same artifact and
    // `model` (which reads only that artifact) is reused.
    #expect(ran == ["load": true, "model": false, "notes": false, "report": true])
    let manifest = try harness.manifest()
    let cached = manifest.fileHashes[harness.trainFile.standardizedFileURL.path]
    #expect(cached?.hash == hexDigest(try FastHasher.hashFile(at: harness.trainFile)))
}

@Test func missingOutputIsRebuilt() throws {
    let harness = try Harness()
    try harness.runner().run()
    try FileManager.default.removeItem(at: harness.reports.appendingPathComponent("model/model.json"))
    let summary = try harness.runner().run(RunRequest(selection: .only(["model"])))
    #expect(summary.outcomes.map(\.name) == ["load", "model"])
    #expect(summary.outcomes.map(\.ran) == [false, true])
    #expect(FileManager.default.fileExists(atPath: harness.reports.appendingPathComponent("model/model.json").path))
}

@Test func onlyRunsMissingUpstreamFirstAndFromSelectsTheTail() throws {
    let harness = try Harness()
    let only = try harness.runner().run(RunRequest(selection: .only(["model"])))
    #expect(only.outcomes.map(\.name) == ["load", "model"])
    #expect(only.outcomes.allSatisfy { $0.ran })
    let tail = try harness.runner().run(RunRequest(selection: .from("notes"), force: true))
    #expect(tail.outcomes.map(\.name) == ["notes", "report"])
    #expect(tail.outcomes.allSatisfy { $0.ran })
}

@Test func unknownStepAndBadOrderAreClearErrors() throws {
    let harness = try Harness()
    #expect {
        try harness.runner().run(RunRequest(selection: .only(["nope"])))
    } throws: { error in
        let text = String(describing: error)
        return text.contains("unknown step 'nope'") && text.contains("load, model, notes, report")
    }
    #expect {
        try harness.runner(steps: [ModelStep(log: harness.log), LoadStep(log: harness.log)]).run()
    } throws: { error in
        String(describing: error).contains("needs 'load', which comes after it")
    }
}

@Test func failingStepLeavesPreviousOutputsAndManifestUntouched() throws {
    let harness = try Harness()
    try harness.runner(loadConfiguration: ["bins": "10"]).run()
    let manifestURL = harness.reports.appendingPathComponent("manifest.json")
    let manifestBefore = try Data(contentsOf: manifestURL)
    let sectionBefore = try Data(contentsOf: harness.reports.appendingPathComponent("load/section.json"))
    let artifactBefore = try Data(contentsOf: harness.reports.appendingPathComponent(".artifacts/load/users.txt"))

    #expect {
        try harness.runner(loadConfiguration: ["bins": "20"], failure: "bad record train-7 field titles at byte 12").run()
    } throws: { error in
        guard let failure = error as? StepFailure else { return false }
        return failure.step == "load" && failure.description == "step 'load' failed: bad record train-7 field titles at byte 12"
    }
    #expect(try Data(contentsOf: manifestURL) == manifestBefore)
    #expect(try Data(contentsOf: harness.reports.appendingPathComponent("load/section.json")) == sectionBefore)
    #expect(try Data(contentsOf: harness.reports.appendingPathComponent(".artifacts/load/users.txt")) == artifactBefore)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: harness.reports.path)
        + FileManager.default.contentsOfDirectory(atPath: harness.reports.appendingPathComponent(".artifacts").path)
    #expect(!leftovers.contains { $0.hasPrefix(".tmp-") || $0.hasPrefix(".old-") }, "\(leftovers)")
    #expect(harness.log.count("model") == 1, "downstream of the failure did not run")
}

@Test func abandonedTemporaryFoldersAreRemoved() throws {
    let harness = try Harness()
    try harness.runner().run()
    // A pid far above Linux's default pid_max belongs to no process.
    let abandoned = harness.reports.appendingPathComponent(".tmp-load-99999999")
    try FileManager.default.createDirectory(at: abandoned, withIntermediateDirectories: true)
    try harness.runner().run()
    #expect(!FileManager.default.fileExists(atPath: abandoned.path))
}

@Test func endToEndRunProducesTheReport() throws {
    let harness = try Harness()
    try harness.runner().run()
    let html = try String(contentsOf: harness.reports.appendingPathComponent("index.html"), encoding: .utf8)
    let markdown = try String(contentsOf: harness.reports.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(html.contains("Loading &lt;the&gt; data"))
    #expect(!html.contains("<the>"))
    #expect(html.contains("<img src=\"load/users.png\""))
    #expect(html.contains("0.8123"), "highlight of the model step in the summary")
    #expect(html.contains("A later step") && html.contains("Not run yet"))
    #expect(html.contains("id=\"reproduction\"") && html.contains("swift run analyze --seed 2017"))
    #expect(html.contains("Train users") && html.contains("count users"))
    #expect(markdown.contains("![Users](load/users.png)"))
    #expect(markdown.contains("| train\\|a | 2 |"))
    #expect(markdown.contains("## 4\\. A later step"))
    #expect(FileManager.default.fileExists(atPath: harness.reports.appendingPathComponent("load/users.png").path))
    // Every image the page references exists beside it.
    for source in html.components(separatedBy: "src=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
        #expect(FileManager.default.fileExists(atPath: harness.reports.appendingPathComponent(source).path), "\(source)")
    }
}

@Test func aSecondRunOnTheSameFolderIsRefusedWhileTheFirstHoldsTheLock() throws {
    let harness = try Harness()
    try FileManager.default.createDirectory(at: harness.reports, withIntermediateDirectories: true)
    let held = try RunLock(reportDirectory: harness.reports)
    #expect {
        try harness.runner().run()
    } throws: { error in
        String(describing: error).contains("another run is writing")
    }
    held.release()
    try harness.runner().run()
    #expect(harness.log.count("load") == 1)
}

@Test func loadDataRequestRecordsTheDataProfileWithoutDataSteps() throws {
    let harness = try Harness()
    let summary = try harness.runner(steps: [NotesStep(log: harness.log), FakeReportStep(log: harness.log)])
        .run(RunRequest(loadData: true))
    #expect(summary.loadedData)
    #expect(harness.log.count("data-load") == 1)
    let data = try #require(try harness.manifest().data)
    #expect(try data.profile?.decode(FakeInput.self) == FakeInput(), "the data source's own profile is kept")
    #expect(data.summaryText == "users: 2")
    #expect(data.inputs.map(\.role) == ["train", "test"])
}

@Test func corruptManifestRerunsEveryStepInsteadOfFailing() throws {
    let harness = try Harness()
    try harness.runner().run()
    try Data("{ not a manifest".utf8).write(to: harness.reports.appendingPathComponent("manifest.json"))
    let summary = try harness.runner().run()
    #expect(summary.outcomes.allSatisfy { $0.ran })
    #expect(try harness.manifest().steps.count == 4)
}
