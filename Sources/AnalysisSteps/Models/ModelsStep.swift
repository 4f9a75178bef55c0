import Core
import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData

/// The `models` step: stratified k-fold cross-validation of every ``Candidate`` of ``ModelCatalog`` on the same
/// folds, a stack of the base models, and the choice of the best model by mean fold AUC.
///
/// Reads the features step's artifacts; computes the out-of-fold title statistics with its own
/// folds (so the validation rows of a fold never fitted the rates their features are made of).
/// Artifacts for the importance and predict steps: the folds, the title statistics, the
/// out-of-fold predictions, the fold models of the best boosting candidate and `choice.json`.
public struct ModelsStep: AnalysisStep {
    public static let name = "models"
    public static let title = "Model comparison"
    public static let version = 8
    public static let upstream: [any AnalysisStep.Type] = [FeaturesStep.self]
    public static let artifacts = [ModelArtifacts.choiceFile, ModelArtifacts.foldsFile, ModelArtifacts.titleTargetTrainFile,
                                   ModelArtifacts.titleTargetTestFile, ModelArtifacts.denseBlocksFile, ModelArtifacts.outOfFoldFile,
                                   ModelArtifacts.testScoresFile]
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

        let runs = try crossValidateCandidates(ModelCatalog.candidates, inputs: inputs, settings: settings,
                                               folds: foldList, context: context)
        var results = runs.results
        let bases = ModelCatalog.baseModels
        let basePredictions = bases.map { m in results.first { $0.model == m }!.outOfFold }
        results.append(try crossValidateStack(bases: bases, basePredictions: basePredictions, labels: labels,
                                              folds: foldList, context: context))

        let best = results.max { $0.meanAUC < $1.meanAUC }!  // the stack is always there
        guard let bestBoosting = results.filter({ $0.model.isBoosting }).max(by: { $0.meanAUC < $1.meanAUC }) else {
            throw ModelsStepError.noBoostingCandidate
        }
        let stack = try StackModel.fit(baseModels: bases, predictions: basePredictions, labels: labels)
        let choice = ModelChoice(best: best.model, bestBoosting: bestBoosting.model, settings: settings,
                                 titleTargetSmoothing: titleTargetSmoothing, stack: stack,
                                 results: results.map(\.summary))

        try context.phase("write artifacts") {
            try ModelArtifacts.write(choice: choice, foldOf: foldOf, inputs: inputs, results: results,
                                     boostingFoldModels: runs.boostingFoldModels[bestBoosting.model] ?? [], testScores: runs.testScores,
                                     trainIDs: data.train.ids, to: context.artifactDirectory)
        }
        try context.phase("charts and section") {
            try ModelsSection(results: results, best: best, bestBoosting: bestBoosting, labels: labels,
                              settings: settings, inputs: inputs, stack: stack).write(context: context)
        }
    }
}

/// A candidate's cross-validation result, with its summary computed once (two sorts of every train row).
struct CandidateResult: Sendable {
    let model: CandidateID
    let folds: [FoldMetrics]
    let outOfFold: [Double]
    let summary: CandidateSummary

    init(model: CandidateID, folds: [FoldMetrics], outOfFold: [Double], labels: [UInt8]) {
        self.model = model
        self.folds = folds
        self.outOfFold = outOfFold
        summary = CandidateSummary(model: model, meanAUC: folds.map(\.auc).mean, aucStandardDeviation: folds.map(\.auc).standardDeviation,
                                   meanLogLoss: folds.map(\.logLoss).mean, meanFitSeconds: folds.map(\.fitSeconds).mean,
                                   outOfFoldAUC: rocAUC(scores: outOfFold, labels: labels),
                                   topDecileGain: cumulativeGain(scores: outOfFold, labels: labels, fractions: [0.1])[0].gain,
                                   folds: folds)
    }

    var meanAUC: Double { summary.meanAUC }
    var aucStandardDeviation: Double { summary.aucStandardDeviation }
}

/// What later steps and the report need of a candidate's result.
public struct CandidateSummary: Codable, Sendable, Equatable {
    public var model: CandidateID
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
    public var best: CandidateID
    /// The best gradient-boosting candidate (its fold models feed the importance step).
    public var bestBoosting: CandidateID
    public var settings: ModelSettings
    public var titleTargetSmoothing: Double
    /// The stack fitted on all out-of-fold predictions (used when `best == .stack`).
    public var stack: StackModel
    public var results: [CandidateSummary]
}

extension ModelsStep {
    /// What cross-validating the candidates gives: their results, the boosting candidates' fold models
    /// and each candidate's fold-averaged test scores (by id).
    typealias CandidateRuns = (results: [CandidateResult], boostingFoldModels: [CandidateID: [GradientBoostingModel]],
                               testScores: [String: [Double]])

    /// Cross-validates every candidate on the shared folds; each fold model also scores the test rows.
    /// Every (candidate, fold) fit is one job of one pool (``crossValidate(learnerCount:labels:folds:concurrentJobCount:fit:)``),
    /// started (on two lanes) from the last candidate of the catalog, the richest and slowest, so the short ones fill the gaps at the end.
    func crossValidateCandidates(_ candidates: [any Candidate], inputs: ModelInputs, settings: ModelSettings,
                                 folds: [Fold], context: StepContext) throws -> CandidateRuns {
        let lanes = Self.laneCount(inputs: inputs)
        var laneSettings = settings
        laneSettings.boosting.threadCount = max(1, ProcessInfoCores.activeCount / lanes)
        // One lane (the 10× data): catalog order, so the dense logistic regression's standardised copies are
        // made before the fits' results and the boosting bins pile up (at 10× its end-of-run copy set the peak).
        let startOrder = lanes > 1 ? Array(candidates.indices.reversed()) : Array(candidates.indices)
        let started = try context.phase("cross-validate \(candidates.count) candidates × \(folds.count) folds") {
            try crossValidate(learnerCount: candidates.count, labels: inputs.labels, folds: folds, concurrentJobCount: lanes) { job, fold in
                let fit = try candidates[startOrder[job]].fit(inputs: inputs, settings: laneSettings, trainRows: fold.trainIndices,
                                                              scoring: .train(fold.validationIndices), scoreTest: true)
                return FoldOutput(validationScores: fit.scores, kept: fit)
            }
        }
        var runs: CandidateRuns = ([], [:], [:])
        for (index, candidate) in candidates.enumerated() {
            let cv = started[startOrder.firstIndex(of: index)!]
            let seconds = cv.folds.map(\.fitSeconds).reduce(0, +)
            context.recordPhase("fit \(candidate.id.rawValue) (sum of its fold fits)", seconds: seconds)
            for metrics in cv.folds {
                ProgressLog.shared.line("[models] \(candidate.id.rawValue) fold \(metrics.fold + 1)/\(folds.count): AUC \(String(format: "%.4f", metrics.auc)) in \(String(format: "%.1f", metrics.fitSeconds)) s")
            }
            if candidate.isBoosting { runs.boostingFoldModels[candidate.id] = cv.kept.compactMap(\.boostingModel) }
            runs.testScores[candidate.id.rawValue] = Self.foldAverage(cv.kept.compactMap(\.testScores))
            runs.results.append(CandidateResult(model: candidate.id, folds: cv.folds, outOfFold: cv.outOfFold, labels: inputs.labels))
        }
        return runs
    }

    /// Train cells (rows × dense columns) up to which two fits (any candidate's folds) run at once, each on half the cores.
    /// A boosting fit's result does not depend on its thread count, so this changes only the time: one
    /// thread per fold avoids most of the per-split synchronisation. Larger inputs run one fold at a time,
    /// so two folds' copies of the design never sit in memory together (the 10× data set).
    static let concurrentFitCellLimit = 60_000_000

    /// How many fits run at the same time for `inputs` on this machine (the job pool's lanes).
    static func laneCount(inputs: ModelInputs) -> Int {
        let cells = inputs.denseTrain.matrix.rowCount * inputs.denseTrain.matrix.columnCount
        return cells <= concurrentFitCellLimit ? min(2, ProcessInfoCores.activeCount) : 1
    }

    /// The stack: logistic regression on the base models' out-of-fold logits, cross-validated on the same folds.
    func crossValidateStack(bases: [CandidateID], basePredictions: [[Double]], labels: [UInt8], folds: [Fold],
                            context: StepContext) throws -> CandidateResult {
        let stackCV = try context.phase("cross-validate stack") {
            try crossValidate(labels: labels, folds: folds) { fold in
                let stack = try StackModel.fit(baseModels: bases,
                                               predictions: basePredictions.map { col in fold.trainIndices.map { col[$0] } },
                                               labels: fold.trainIndices.map { labels[$0] })
                let scores = stack.predict(basePredictions.map { col in fold.validationIndices.map { col[$0] } })
                return FoldOutput(validationScores: scores, kept: ())
            }
        }
        return CandidateResult(model: .stack, folds: stackCV.folds, outOfFold: stackCV.outOfFold, labels: labels)
    }

    /// The mean over folds of each test row's score (the fold models' averaged prediction).
    static func foldAverage(_ foldScores: [[Double]]) -> [Double] {
        guard let first = foldScores.first else { return [] }
        var sum = [Double](repeating: 0, count: first.count)
        for scores in foldScores { for i in sum.indices { sum[i] += scores[i] } }
        return sum.map { $0 / Double(foldScores.count) }
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys (stable fingerprints).
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension Array where Element == Double {
    var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
    var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = mean
        return (map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(count - 1)).squareRoot()
    }
}
