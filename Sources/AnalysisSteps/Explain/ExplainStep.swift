import Core
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import SegmentData

/// The `explain` step: why viewers score high, and what an advertiser gets for a budget.
///
/// Explains the best boosting candidate averaged over its fold models (exact path-dependent
/// TreeSHAP; the SHAP values of an average of models are the average of the models' SHAP values):
/// a SHAP summary of sampled test users, dependence plots for the four strongest features and a
/// waterfall for one typical high-scoring test user. The targeting table calibrates the final
/// scores isotonically on the out-of-fold scores and gives, per budget, the expected pos rate of
/// the targeted test users and the share of all pos users reached, with bootstrap intervals. The
/// reasons per targeted viewer are written by the predict step (`reports/predict/reasons.csv`);
/// this section shows its first rows.
public struct ExplainStep: AnalysisStep {
    public static let name = "explain"
    public static let title = "Why viewers score high"
    public static let version = 1
    public static let upstream: [any AnalysisStep.Type] = [FeaturesStep.self, ModelsStep.self, PredictStep.self]
    public static let figures = [ExplainSection.summaryFigure, ExplainSection.dependenceFigure, ExplainSection.waterfallFigure]

    /// Test users sampled for the SHAP summary and dependence plots (all when fewer).
    public var sampleSize = 1_000
    /// Features in the SHAP summary.
    public var summaryFeatureCount = 15
    /// Bootstrap resamples for the targeting table's intervals.
    public var bootstrapCount = 200
    /// Budgets: shares of test users targeted.
    public var budgets = [0.01, 0.05, 0.1, 0.2, 0.3]

    public init() {}

    /// The sample, chart and targeting settings hashed into the fingerprint.
    public struct Configuration: Codable, Sendable, Equatable {
        public var sampleSize: Int
        public var summaryFeatureCount: Int
        public var bootstrapCount: Int
        public var budgets: [Double]

        enum CodingKeys: String, CodingKey {
            case sampleSize = "sample", summaryFeatureCount = "summary_features", bootstrapCount = "bootstrap", budgets
        }
    }

    public var configuration: Configuration {
        Configuration(sampleSize: sampleSize, summaryFeatureCount: summaryFeatureCount, bootstrapCount: bootstrapCount, budgets: budgets)
    }

    public func run(in context: StepContext) throws {
        guard sampleSize >= 1 else { throw ExplainError.badSetting("sampleSize must be ≥ 1, got \(sampleSize)") }
        guard summaryFeatureCount >= 1 else { throw ExplainError.badSetting("summaryFeatureCount must be ≥ 1, got \(summaryFeatureCount)") }
        let targeting = try TargetingAnalysis(fractions: budgets, bootstrapCount: bootstrapCount, seed: context.seed)
        let saved = try SavedModelOutputs(context: context)
        let (data, labels, choice, finalScores) = (saved.data, saved.labels, saved.choice, saved.finalTestScores)
        let testFeatures = saved.testFeatures
        let outOfFold = try readOutOfFoldScores(modelsDirectory: saved.modelsDirectory, model: choice.best.rawValue, rowCount: labels.count)

        let explainer = try context.phase("load fold models") {
            try FoldModelExplainer(modelsDirectory: saved.modelsDirectory, featureColumns: testFeatures.columnNames)
        }
        let sampleRows = sampledRows(count: data.test.userCount, seed: context.seed)
        let sample = try context.phase("TreeSHAP of \(sampleRows.count) sampled test users") {
            ShapSample(explanation: try explainer.shapValues(testFeatures, rows: sampleRows),
                       values: explainer.design(testFeatures, rows: sampleRows), names: explainer.columnNames.map(readableFeatureName))
        }
        let typical = Self.typicalHighScorer(finalScores)
        let waterfall = try context.phase("TreeSHAP of one typical high scorer") { () -> ShapWaterfall in
            let explanation = try explainer.shapValues(testFeatures, rows: [typical])
            let values = explainer.design(testFeatures, rows: [typical]).values.map(Double.init)
            let contributions = (0 ..< explanation.columnCount).map { explanation[0, $0] }
            return ShapWaterfall(names: sample.names, values: values, contributions: contributions,
                                 baseValue: explanation[0, explanation.columnCount],
                                 score: explanation.values.reduce(0, +))
        }
        let budgets = try context.phase("targeting table (\(bootstrapCount) bootstrap resamples)") {
            try targeting.table(testScores: finalScores, outOfFoldScores: outOfFold, labels: labels)
        }
        let reasons = try readReasons(context: context)
        try context.phase("charts and section") {
            try ExplainSection(choice: choice, sample: sample, summaryFeatureCount: summaryFeatureCount, waterfall: waterfall,
                               waterfallUser: (data.test.ids[typical], finalScores[typical]), budgets: budgets,
                               bootstrapCount: bootstrapCount, reasons: reasons, testUserCount: data.test.userCount)
                .write(context: context)
        }
    }

    /// A seeded sample of `sampleSize` test rows, in row order.
    func sampledRows(count: Int, seed: UInt64) -> [Int] {
        var rows = Array(0 ..< count)
        guard count > sampleSize else { return rows }
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&rows)
        return Array(rows.prefix(sampleSize)).sorted()
    }

    /// The typical targeted viewer: the median user of the top 10 % by final score.
    static func typicalHighScorer(_ scores: [Double]) -> Int {
        let top = ViewerReasons.topRows(scores: scores)
        return top[top.count / 2]
    }

    /// The out-of-fold P(pos) of `model` for every training user (the models step's `oof-predictions.bin`).
    func readOutOfFoldScores(modelsDirectory: URL, model: String, rowCount: Int) throws -> [Double] {
        let url = modelsDirectory.appendingPathComponent(ModelArtifacts.outOfFoldFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
        let matrix = try MatrixArtifact.readDense(from: url).matrix
        guard let column = matrix.columnNames.firstIndex(of: model) else {
            throw ExplainError.missingInput("\(url.path) has no out-of-fold scores for \(model)")
        }
        guard matrix.rowCount == rowCount else {
            throw ModelsStepError.rowMismatch("the saved out-of-fold scores have \(matrix.rowCount) rows, the data \(rowCount)")
        }
        return (0 ..< rowCount).map { Double(matrix.values[$0 * matrix.columnCount + column]) }
    }

    /// The predict step's reasons for the targeted viewers (`reasons.json`).
    func readReasons(context: StepContext) throws -> [ViewerReasons] {
        let url = try context.upstreamArtifacts(PredictStep.self).appendingPathComponent(ViewerReasons.artifactFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw ExplainError.missingInput("\(url.path) is missing") }
        return try JSONDecoder().decode([ViewerReasons].self, from: Data(contentsOf: url))
    }
}
