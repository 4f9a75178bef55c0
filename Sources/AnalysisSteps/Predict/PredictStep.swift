import Core
import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData

/// The `predict` step: averages the test-user scores of the chosen model's fold models (kept by
/// the models step; nothing is refitted) and writes `reports/predictions.csv` in the competition's submission format
/// (`ID,segment`, P(pos), one row per test user in test-file order).
///
/// It also writes `reports/predict/reasons.csv`: for the top 10 % of test users, the three columns
/// that raised the fold-averaged best boosting model's score most (TreeSHAP, ``ViewerReasons``).
///
/// The best boosting candidate's fold models are saved by the models step as JSON
/// (`boosting-fold-<k>.json`) and can be reloaded with `GradientBoostingModel(jsonData:)`.
public struct PredictStep: AnalysisStep {
    public static let name = "predict"
    public static let title = "Predictions"
    public static let version = 3
    public static let upstream: [any AnalysisStep.Type] = [FeaturesStep.self, ModelsStep.self]
    public static let figures = ["probability-histogram.png"]
    public static let artifacts = [ViewerReasons.artifactFile]
    /// The submission file, relative to the report folder.
    public static let submissionFile = "predictions.csv"

    public init() {}

    public func run(in context: StepContext) throws {
        let saved = try SavedModelOutputs(context: context)
        let (data, labels, choice, probabilities) = (saved.data, saved.labels, saved.choice, saved.finalTestScores)
        if choice.best == .stack {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(choice.stack).write(to: context.artifactDirectory.appendingPathComponent("stack.json"))
        }

        try context.phase("reasons for the top \(Int(ViewerReasons.targetedFraction * 100)) % (TreeSHAP)") {
            try writeReasons(context: context, modelsDirectory: saved.modelsDirectory, features: saved.testFeatures,
                             ids: data.test.ids, probabilities: probabilities)
        }
        try context.phase("charts and section") {
            try PredictSection(choice: choice, probabilities: probabilities, trainLabels: labels,
                               testLabels: data.test.labels, testCount: data.test.userCount).write(context: context)
        }
        // Last, so a failure above leaves the previous submission in place: reports/predictions.csv, replaced atomically.
        try context.phase("write predictions") {
            try context.writeReportRootFile(Self.submissionCSV(ids: data.test.ids, probabilities: probabilities),
                                            named: Self.submissionFile)
        }
    }

    /// `reasons.csv` (report folder) and `reasons.json` (artifacts): for the top 10 % of test users by
    /// final score, the three columns that raised the fold-averaged best boosting model's score most.
    private func writeReasons(context: StepContext, modelsDirectory: URL, features: DenseMatrix, ids: [String],
                              probabilities: [Double]) throws {
        let explainer = try FoldModelExplainer(modelsDirectory: modelsDirectory, featureColumns: features.columnNames)
        let rows = ViewerReasons.topRows(scores: probabilities)
        let viewers = ViewerReasons.make(ids: rows.map { ids[$0] }, probabilities: rows.map { probabilities[$0] },
                                         explanation: try explainer.shapValues(features, rows: rows),
                                         columnNames: explainer.columnNames, values: explainer.design(features, rows: rows))
        try ViewerReasons.csv(viewers).write(to: context.outputFile(ViewerReasons.csvFile).url)
        try JSONEncoder.sortedKeys.encode(viewers).write(to: context.artifactDirectory.appendingPathComponent(ViewerReasons.artifactFile))
    }

    /// The submission file: header `ID,segment`, then one `id,probability` row per test user.
    public static func submissionCSV(ids: [String], probabilities: [Double]) -> Data {
        var text = "ID,segment\n"
        text.reserveCapacity(ids.count * 24)
        for (id, p) in zip(ids, probabilities) {
            text += id
            text += ","
            text += String(format: "%.6f", min(max(p, 0), 1))
            text += "\n"
        }
        return Data(text.utf8)
    }
}
