import Charts
import ChartRenderer
import Evaluation
import Foundation
import Pipeline
import Reporting

/// The predictions step's report section: the file, the expected positive rate and a histogram.
struct PredictSection {
    var choice: ModelChoice
    var probabilities: [Double]
    var trainLabels: [UInt8]
    var testLabels: [UInt8]?
    var testCount: Int

    func write(context: StepContext) throws {
        let expectedRate = probabilities.reduce(0, +) / Double(max(1, probabilities.count))
        let trainRate = Double(trainLabels.reduce(0) { $0 + Int($1) }) / Double(max(1, trainLabels.count))
        let sorted = probabilities.sorted()
        func quantile(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
        let topDecileCut = quantile(0.9)
        let cvAUC = choice.results.first { $0.model == choice.best }?.meanAUC ?? .nan

        let figure = context.outputFile("probability-histogram.png")
        try ChartRenderer.write(
            Chart.histogram([HistogramSeries(name: "test users", values: probabilities)], binCount: 40,
                            normalization: .share, title: "Predicted P(pos) for the test users",
                            subtitle: "\(testCount.formatted()) users, \(choice.best.displayName)",
                            xTitle: "predicted probability of pos", yTitle: "share of test users", xFormat: .percent()),
            to: figure.url)

        var paragraphs = [
            "\(choice.best.displayName), the model with the best cross-validated AUC (\(String(format: "%.4f", cvAUC))), scored every test user with the average of its \(choice.settings.foldCount) fold models (each fitted on the other folds of the \(trainLabels.count.formatted()) training users; nothing is refitted). "
                + "The mean predicted probability, the expected positive rate of the test users, is \(String(format: "%.2f", expectedRate * 100)) % (training rate \(String(format: "%.2f", trainRate * 100)) %). "
                + "Half the users score below \(String(format: "%.3f", quantile(0.5))); the top 10 % score above \(String(format: "%.3f", topDecileCut)).",
        ]
        var highlights: [SectionDocument.Highlight] = [
            .init(label: "Predictions", value: PredictStep.submissionFile),
            .init(label: "Expected pos rate (test)", value: String(format: "%.2f %%", expectedRate * 100)),
        ]
        if let testLabels, testLabels.count == probabilities.count {
            let auc = rocAUC(scores: probabilities, labels: testLabels)
            paragraphs.append("The test file carries labels: the test AUC of these predictions is \(String(format: "%.4f", auc)).")
            highlights.append(.init(label: "Test AUC", value: String(format: "%.4f", auc)))
        }
        let blocks: [SectionDocument.Block] = paragraphs.map { .paragraph($0) } + [
            .figure(.init(path: figure.reportPath, caption: "Distribution of predicted P(pos) over the test users.")),
            .paragraph("\(PredictStep.name)/\(ViewerReasons.csvFile) lists, for the top \(Int(ViewerReasons.targetedFraction * 100)) % of test users by P(pos), the three features that raised each one's score most (exact TreeSHAP of \(choice.bestBoosting.displayName)); the section \"\(ExplainStep.title)\" shows its first rows."),
            .table(.init(caption: "The submission file (competition format: ID,segment with P(pos), test-file order)",
                         columns: ["File", "Rows", "Header", "Model"],
                         rows: [[PredictStep.submissionFile, testCount.formatted(), "ID,segment", choice.best.displayName]],
                         numericColumns: [1], csvPath: PredictStep.submissionFile)),
        ]
        try context.writeSection(SectionDocument(
            step: PredictStep.name, title: PredictStep.title,
            summary: "\(testCount.formatted()) test users scored by \(choice.best.displayName); predictions in \(PredictStep.submissionFile).",
            blocks: blocks, highlights: highlights))
    }
}
