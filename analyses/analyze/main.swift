import AnalysisSteps
import ArgumentParser
import Foundation
import Pipeline

/// `swift run analyze`: runs every analysis step (reusing up-to-date outputs) and builds the report.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run the Predict-the-Segment analysis and build reports/index.html and reports/report.md.",
        discussion: """
        Steps, in order: \(StepRegistry.steps.map { type(of: $0).name }.joined(separator: ", ")).
        A step whose inputs (data files, seed, configuration, upstream outputs) have not changed since its \
        last successful run is skipped; --force reruns it. Without --train/--test the built-in synthetic \
        data set (data/builtin) is generated once and used.
        """)

    @OptionGroup var options: StepOptions
    @OptionGroup var selection: RunOptions

    @Flag(help: "List the steps and exit.")
    var list: Bool = false

    func run() throws {
        if list {
            print(StepRegistry.listing)
            return
        }
        let runner = StepRegistry.runner(options: options)
        PipelineCommandLine.run {
            var request = selection.request
            // With no data-reading step, still load the data so its summary is printed.
            request.loadData = !StepRegistry.steps.contains { type(of: $0).readsData }
            try runner.run(request)
            let index = runner.reportDirectory.appendingPathComponent("index.html")
            if FileManager.default.fileExists(atPath: index.path) {
                print("Report: \(index.path)")
            }
        }
    }
}

Analyze.main()
