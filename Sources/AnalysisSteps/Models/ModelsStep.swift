import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData

/// The `models` step: stratified k-fold cross-validation of every ``CandidateModel`` on the same
/// folds, a stack of the base models, and the choice of the best model by mean fold AUC.
///
/// Reads the features step's artifacts; computes the out-of-fold title statistics with its own
/// folds (so the validation rows of a fold never fitted the rates their features are made of).
/// Artifacts for the importance and predict steps: the folds, the title statistics, the
/// out-of-fold predictions, the fold models of the best boosting candidate and `choice.json`.
public struct ModelsStep: AnalysisStep {
    public static let name = "models"
    public static let title = "Model comparison"
    public static let version = 2
    public static let upstream: [any AnalysisStep.Type] = [FeaturesStep.self]
    public static let artifacts = [ModelArtifacts.choiceFile, ModelArtifacts.foldsFile, ModelArtifacts.titleTargetTrainFile,
                                   ModelArtifacts.titleTargetTestFile, ModelArtifacts.outOfFoldFile]
    public static let figures = ["auc-by-model.png", "roc.png", "calibration.png", "gain.png", "lift.png"]

    /// Learner settings; changes invalidate the cache.
    public var settings: ModelSettings?
    /// Title-statistics smoothing `m`.
    public var titleTargetSmoothing = 20.0

    public init() {}

    /// Every learner setting (all boosting parameters included) and the title smoothing, hashed
    /// into the fingerprint. The default settings are recorded with seed 0: the step seed is
    /// hashed separately.
    public struct Configuration: Codable, Sendable, Equatable {
        public var settings: ModelSettings
        public var titleTargetSmoothing: Double

        enum CodingKeys: String, CodingKey {
            case settings, titleTargetSmoothing = "title_target_m"
        }
    }

    public var configuration: Configuration {
        Configuration(settings: settings ?? .standard(seed: 0), titleTargetSmoothing: titleTargetSmoothing)
    }

    public func run(in context: StepContext) throws {
        let settings = self.settings ?? .standard(seed: context.seed)
        let data = try context.data()
        guard let labels = data.train.labels else { throw ModelsStepError.unlabelledTrain }

        let folds = try StratifiedKFold(foldCount: settings.foldCount, seed: context.seed)
        let foldOf = try folds.foldAssignments(labels: labels)
        let foldList = try folds.folds(labels: labels)

        let inputs = try context.phase("load features") {
            try ModelArtifacts.loadInputs(featuresDirectory: try context.upstreamArtifacts(FeaturesStep.self), data: data, labels: labels,
                                          foldOf: foldOf, smoothing: titleTargetSmoothing)
        }

        var results: [CandidateResult] = []
        var bestBoostingFoldModels: [CandidateModel: [GradientBoostingModel]] = [:]
        let baseCandidates: [CandidateModel] = [.prior] + CandidateModel.baseModels
        for candidate in baseCandidates {
            var oof = [Double](repeating: .nan, count: labels.count)
            var foldMetrics: [FoldMetrics] = []
            var foldModels: [GradientBoostingModel] = []
            try context.phase("cross-validate \(candidate.rawValue)") {
                for fold in foldList {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let fit = try candidate.fit(inputs: inputs, settings: settings, trainRows: fold.trainIndices,
                                                scoring: .train(fold.validationIndices))
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    for (k, row) in fold.validationIndices.enumerated() { oof[row] = fit.scores[k] }
                    let foldLabels = fold.validationIndices.map { labels[$0] }
                    foldMetrics.append(FoldMetrics(fold: fold.index, auc: rocAUC(scores: fit.scores, labels: foldLabels),
                                                   logLoss: logLoss(probabilities: fit.scores, labels: foldLabels),
                                                   fitSeconds: seconds))
                    if let model = fit.boostingModel { foldModels.append(model) }
                    ProgressLog.shared.line("[models] \(candidate.rawValue) fold \(fold.index + 1)/\(foldList.count): AUC \(String(format: "%.4f", foldMetrics.last!.auc)) in \(String(format: "%.1f", seconds)) s")
                }
            }
            if candidate.isBoosting { bestBoostingFoldModels[candidate] = foldModels }
            results.append(CandidateResult(model: candidate, folds: foldMetrics, outOfFold: oof, labels: labels))
        }

        // Stack: logistic regression on the base models' out-of-fold logits, cross-validated on the same folds.
        let bases = CandidateModel.baseModels
        let basePredictions = bases.map { m in results.first { $0.model == m }!.outOfFold }
        try context.phase("cross-validate stack") {
            var oof = [Double](repeating: .nan, count: labels.count)
            var foldMetrics: [FoldMetrics] = []
            for fold in foldList {
                let start = DispatchTime.now().uptimeNanoseconds
                let stack = try StackModel.fit(baseModels: bases,
                                               predictions: basePredictions.map { col in fold.trainIndices.map { col[$0] } },
                                               labels: fold.trainIndices.map { labels[$0] })
                let scores = stack.predict(basePredictions.map { col in fold.validationIndices.map { col[$0] } })
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                for (k, row) in fold.validationIndices.enumerated() { oof[row] = scores[k] }
                let foldLabels = fold.validationIndices.map { labels[$0] }
                foldMetrics.append(FoldMetrics(fold: fold.index, auc: rocAUC(scores: scores, labels: foldLabels),
                                               logLoss: logLoss(probabilities: scores, labels: foldLabels), fitSeconds: seconds))
            }
            results.append(CandidateResult(model: .stack, folds: foldMetrics, outOfFold: oof, labels: labels))
        }

        let best = results.max { $0.meanAUC < $1.meanAUC }!
        let bestBoosting = results.filter { $0.model.isBoosting }.max { $0.meanAUC < $1.meanAUC }!
        let stack = try StackModel.fit(baseModels: bases, predictions: basePredictions, labels: labels)
        let choice = ModelChoice(best: best.model, bestBoosting: bestBoosting.model, settings: settings,
                                 titleTargetSmoothing: titleTargetSmoothing, stack: stack,
                                 results: results.map(\.summary))

        try context.phase("write artifacts") {
            try ModelArtifacts.write(choice: choice, foldOf: foldOf, inputs: inputs, results: results,
                                     boostingFoldModels: bestBoostingFoldModels[bestBoosting.model] ?? [],
                                     trainIDs: data.train.ids, to: context.artifactDirectory)
        }
        try context.phase("charts and section") {
            try ModelsSection(results: results, best: best, bestBoosting: bestBoosting, labels: labels,
                              settings: settings, inputs: inputs, stack: stack).write(context: context)
        }
    }
}

/// One fold's held-out metrics.
public struct FoldMetrics: Codable, Sendable, Equatable {
    public var fold: Int
    public var auc: Double
    public var logLoss: Double
    public var fitSeconds: Double
}

/// A candidate's cross-validation result.
struct CandidateResult: Sendable {
    var model: CandidateModel
    var folds: [FoldMetrics]
    var outOfFold: [Double]
    var labels: [UInt8]

    var meanAUC: Double { folds.map(\.auc).mean }
    var aucStandardDeviation: Double { folds.map(\.auc).standardDeviation }
    var meanLogLoss: Double { folds.map(\.logLoss).mean }
    var meanFitSeconds: Double { folds.map(\.fitSeconds).mean }
    var summary: CandidateSummary {
        CandidateSummary(model: model, meanAUC: meanAUC, aucStandardDeviation: aucStandardDeviation,
                         meanLogLoss: meanLogLoss, meanFitSeconds: meanFitSeconds,
                         outOfFoldAUC: rocAUC(scores: outOfFold, labels: labels),
                         topDecileGain: cumulativeGain(scores: outOfFold, labels: labels, fractions: [0.1])[0].gain,
                         folds: folds)
    }
}

/// What later steps and the report need of a candidate's result.
public struct CandidateSummary: Codable, Sendable, Equatable {
    public var model: CandidateModel
    public var meanAUC: Double
    public var aucStandardDeviation: Double
    public var meanLogLoss: Double
    public var meanFitSeconds: Double
    /// AUC of all out-of-fold predictions pooled.
    public var outOfFoldAUC: Double
    /// Share of all positives found in the top 10 % of out-of-fold scores.
    public var topDecileGain: Double
    public var folds: [FoldMetrics]
}

/// The chosen model and everything needed to refit it (`choice.json`).
public struct ModelChoice: Codable, Sendable, Equatable {
    /// The model with the best mean fold AUC.
    public var best: CandidateModel
    /// The best gradient-boosting candidate (its fold models feed the importance step).
    public var bestBoosting: CandidateModel
    public var settings: ModelSettings
    public var titleTargetSmoothing: Double
    /// The stack fitted on all out-of-fold predictions (used when `best == .stack`).
    public var stack: StackModel
    public var results: [CandidateSummary]
}

extension Array where Element == Double {
    var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
    var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = mean
        return (map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(count - 1)).squareRoot()
    }
}
