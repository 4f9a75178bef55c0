import Foundation
import Pipeline
import Reporting
import SegmentData
import SyntheticData
import Testing
@testable import AnalysisSteps

/// Every registered step, run the way `swift run analyze --train … --test …` runs them, on a small
/// built-in data set written to disk and read back by the real loader.
@Suite(.serialized) struct EndToEndTests {
    @Test func wholeAnalysisProducesEveryReportSectionAndReusesItsOutputs() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("end-to-end-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = try BuiltinDataset.ensure(in: root.appendingPathComponent("data"),
                                              configuration: .small(trainUserCount: 3000, testUserCount: 1000), seed: 5)
        let report = root.appendingPathComponent("reports")
        let options = StepOptions(train: files.train.path, test: files.test.path, out: report.path, seed: 3)

        let first = try StepRegistry.runner(options: options).run(RunRequest())
        let stepNames = StepRegistry.steps.map { type(of: $0).name }
        #expect(first.outcomes.map(\.name) == stepNames)
        #expect(first.outcomes.allSatisfy { $0.ran })

        // Every step's section is in the page and in the Markdown twin, with its figures and tables.
        let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
        let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        for step in stepNames where step != "report" {
            let section = try JSONDecoder().decode(
                SectionDocument.self, from: Data(contentsOf: report.appendingPathComponent("\(step)/section.json")))
            #expect(html.contains("id=\"\(ReportBuilder.anchor(step))\""), "index.html lacks the \(step) section")
            #expect(html.contains(HTMLReport.escape(section.title)))
            #expect(markdown.contains(MarkdownReport.escapeInline(section.title)))
            for block in section.blocks {
                switch block {
                case .figure(let figure):
                    #expect(decodedPNGSize(report.appendingPathComponent(figure.path)) != nil, "\(figure.path) does not decode")
                    #expect(html.contains(figure.path), "index.html does not show \(figure.path)")
                    #expect(markdown.contains(figure.path), "report.md does not show \(figure.path)")
                case .table(let table):
                    #expect(!table.rows.isEmpty, "\(step): table '\(table.caption)' is empty")
                    #expect(table.rows.allSatisfy { $0.count == table.columns.count })
                    if let csv = table.csvPath {
                        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent(csv).path), "\(csv) is missing")
                    }
                default: break
                }
            }
        }
        let predictions = try String(contentsOf: report.appendingPathComponent("predictions.csv"), encoding: .utf8)
            .split(separator: "\n")
        #expect(predictions.first == "ID,segment")
        #expect(predictions.count == 1001)

        // Nothing changed: every step but the report is reused.
        let second = try StepRegistry.runner(options: options).run(RunRequest())
        #expect(second.outcomes.filter { $0.name != "report" }.allSatisfy { !$0.ran })

        // Forcing features or models again writes identical artifacts: the steps after them are reused.
        for forced in ["features", "models"] {
            let rerun = try StepRegistry.runner(options: options)
                .run(RunRequest(selection: .only([forced]), force: true, refreshReport: true))
            #expect(rerun.outcomes.first { $0.name == forced }?.ran == true)
            let after = try StepRegistry.runner(options: options).run(RunRequest())
            let ran = after.outcomes.filter { $0.ran && $0.name != "report" }.map(\.name)
            #expect(ran.isEmpty, "an identical rerun of \(forced) reran \(ran)")
        }

        // A new seed reruns the steps that use one.
        var reseeded = options
        reseeded.seed = 4
        let third = try StepRegistry.runner(options: reseeded).run(RunRequest())
        #expect(third.outcomes.first { $0.name == "models" }?.ran == true)
    }
}
