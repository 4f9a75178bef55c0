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
/// The best boosting candidate's fold models are saved by the models step as JSON
/// (`boosting-fold-<k>.json`) and can be reloaded with `GradientBoostingModel(jsonData:)`.
public struct PredictStep: AnalysisStep {
    public static let name = "predict"
    public static let title = "Predictions"
    public static let version = 2
    public static let upstream: [any AnalysisStep.Type] = [FeaturesStep.self, ModelsStep.self]
    public static let figures = ["probability-histogram.png"]
    /// The submission file, relative to the report folder.
    public static let submissionFile = "predictions.csv"

    public init() {}

    public func run(in context: StepContext) throws {
        let data = try context.data()
        guard let labels = data.train.labels else { throw ModelsStepError.unlabelledTrain }
        let modelsDirectory = try context.upstreamArtifacts(ModelsStep.self)
        let choice = try ModelArtifacts.readChoice(from: modelsDirectory)
        let inputs = try context.phase("load features") {
            try ModelArtifacts.loadInputs(featuresDirectory: try context.upstreamArtifacts(FeaturesStep.self),
                                          modelsDirectory: modelsDirectory, labels: labels)
        }
        guard inputs.denseTest.matrix.rowCount == data.test.userCount else {
            throw ModelsStepError.rowMismatch("the saved features have \(inputs.denseTest.matrix.rowCount) test rows, the data \(data.test.userCount)")
        }
        // The chosen model's fold models scored the test users inside the models step's cross-validation;
        // their average is the prediction (the stack combines each base model's fold-averaged scores). No refit.
        let components: [CandidateModel] = choice.best == .stack ? choice.stack.baseModels : [choice.best]
        let componentScores = try ModelArtifacts.readTestScores(from: modelsDirectory, candidates: components)
        guard componentScores.allSatisfy({ $0.count == data.test.userCount }) else {
            throw ModelsStepError.rowMismatch("the saved test scores do not have \(data.test.userCount) rows")
        }
        let probabilities = choice.best == .stack ? choice.stack.predict(componentScores) : componentScores[0]
        if choice.best == .stack {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(choice.stack).write(to: context.artifactDirectory.appendingPathComponent("stack.json"))
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
