import Foundation
import Pipeline
import Reporting
import SyntheticData
import Testing
@testable import AnalysisSteps

/// The explanation on a small built-in data set: its section, the reasons file and the targeting table.
@Suite(.serialized) struct ExplainEndToEndTests {
    @Test func explanationSectionReasonsAndTargetingTableAppear() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let testUserCount = 1000
        let files = try BuiltinDataset.ensure(in: root.appendingPathComponent("data"),
                                              configuration: .small(trainUserCount: 3000, testUserCount: testUserCount), seed: 6)
        let report = root.appendingPathComponent("reports")
        let options = StepOptions(train: files.train.path, test: files.test.path, out: report.path, seed: 3)
        let run = try StepRegistry.runner(options: options).run(RunRequest(selection: .only([ExplainStep.name]), refreshReport: true))
        #expect(run.outcomes.first { $0.name == ExplainStep.name }?.ran == true)

        // reasons.csv: one row per test user in the top 10 %, three raising columns, contributions positive and descending.
        let lines = try String(contentsOf: report.appendingPathComponent("predict/reasons.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.first == "ID,p_pos,reason_1,value_1,contribution_1,reason_2,value_2,contribution_2,reason_3,value_3,contribution_3")
        #expect(lines.count - 1 == testUserCount / 10)
        var previousScore = Double.infinity
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 11, "\(line)")
            guard fields.count == 11, let score = Double(fields[1]) else { continue }
            #expect(score <= previousScore, "rows are not in decreasing score order")
            previousScore = score
            let contributions = [fields[4], fields[7], fields[10]].compactMap(Double.init)
            #expect(!contributions.isEmpty && contributions.allSatisfy { $0 > 0 }, "\(line)")
            #expect(contributions == contributions.sorted(by: >), "\(line)")
            #expect(!fields[2].contains("_"), "reason \(fields[2]) is not a readable name")
        }

        // The section: figures, the targeting table with five budgets, the reasons preview; in both reports and the summary.
        let section = try JSONDecoder().decode(SectionDocument.self,
                                               from: Data(contentsOf: report.appendingPathComponent("explain/section.json")))
        #expect(section.title == "Why viewers score high")
        let figures = section.blocks.compactMap { if case .figure(let f) = $0 { return f.path } else { return nil } }
        #expect(figures == ExplainStep.figures.map { "explain/\($0)" })
        let tables = section.blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
        let targeting = try #require(tables.first { $0.csvPath == "explain/targeting.csv" })
        #expect(targeting.rows.map { $0[0] } == ["1 %", "5 %", "10 %", "20 %", "30 %"])
        #expect(targeting.rows[2][1] == "100")
        #expect(tables.contains { $0.csvPath == "predict/reasons.csv" && $0.rows.count == 10 })
        #expect(section.highlights.contains { $0.label == "Top 10 % of test users: expected pos rate" })
        let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
        let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        for page in [html, markdown] {
            #expect(page.contains("Why viewers score high"))
            #expect(page.contains("Top 10 % of test users: pos viewers reached"))
            #expect(page.contains("explain/shap-summary.png"))
        }
    }
}
