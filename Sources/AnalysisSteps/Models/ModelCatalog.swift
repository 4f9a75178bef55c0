import Core
import FeatureEngineering
import Foundation
import Learning

/// The models the comparison step cross-validates, each with the inputs it reads.
///
/// Every candidate is fitted on rows of the train set and scores rows of the train or the test
/// set through ``ModelInputs``, so the models step (out-of-fold), the importance step and the
/// predictions step (all train → test) fit them the same way.
public enum CandidateModel: String, CaseIterable, Codable, Sendable {
    /// The training positive rate for everyone (AUC 0.5 by construction; the log-loss floor).
    case prior
    /// L2 logistic regression on the standardised dense profile features.
    case logisticProfile = "logistic-profile"
    /// L2 logistic regression on TF-IDF of all tokens (titles, genres, cities, hours, days).
    case logisticTokens = "logistic-tokens"
    /// Complement naive Bayes on the bag of titles.
    case naiveBayesTitles = "naive-bayes-titles"
    /// Gradient boosting on genre seconds, hour and day shares and totals: the public baseline.
    case boostingGenreHourDay = "boosting-genre-hour-day"
    /// Gradient boosting on every engineered profile feature plus out-of-fold title statistics.
    case boostingEngineered = "boosting-engineered"
    /// ``boostingEngineered`` plus cluster membership and distances.
    case boostingWithClusters = "boosting-with-clusters"
    /// Logistic regression on the logits of the other models' out-of-fold predictions (stacking).
    case stack

    /// Name shown in tables and legends.
    public var displayName: String {
        switch self {
        case .prior: "Prior (constant)"
        case .logisticProfile: "Logistic regression, profile features"
        case .logisticTokens: "Logistic regression, TF-IDF tokens"
        case .naiveBayesTitles: "Naive Bayes, titles"
        case .boostingGenreHourDay: "Boosting, genre + hour + day"
        case .boostingEngineered: "Boosting, engineered features"
        case .boostingWithClusters: "Boosting, engineered + clusters"
        case .stack: "Stack of the above"
        }
    }

    /// What the model reads, for the report.
    public var inputDescription: String {
        switch self {
        case .prior: "nothing (the training positive rate)"
        case .logisticProfile: "standardised dense profile features (no titles, no clusters)"
        case .logisticTokens: "TF-IDF of titles, genres, cities, hours and days (sparse)"
        case .naiveBayesTitles: "TF-IDF bag of titles (sparse)"
        case .boostingGenreHourDay: "seconds per genre, hour and day shares, totals"
        case .boostingEngineered: "all profile families + out-of-fold title statistics"
        case .boostingWithClusters: "as engineered, plus cluster membership and distances"
        case .stack: "logits of the base models' out-of-fold predictions"
        }
    }

    /// The base models (everything the stack combines).
    public static var baseModels: [CandidateModel] { allCases.filter { $0 != .stack && $0 != .prior } }

    /// Whether the model is a gradient-boosting model (has gain importance).
    public var isBoosting: Bool { [.boostingGenreHourDay, .boostingEngineered, .boostingWithClusters].contains(self) }

    /// Whether the model reads `family` when the record id is allowed (for the leak-check label).
    func reads(_ family: FeatureFamily) -> Bool { denseFamilies(includeRecordID: true).contains(family) }

    /// The dense feature families a dense model reads; the record id (`.identity`) only as a leak check.
    func denseFamilies(includeRecordID: Bool) -> Set<FeatureFamily> {
        let profile: Set<FeatureFamily> = [.totals, .genreSeconds, .genreShares, .hourShares, .dayShares, .timeOfDay, .diversity]
        let id: Set<FeatureFamily> = includeRecordID ? [.identity] : []
        return switch self {
        case .boostingGenreHourDay: [.genreSeconds, .hourShares, .dayShares, .totals]
        case .logisticProfile: profile.union(id)
        case .boostingEngineered: profile.union(id).union([.titleTarget])
        case .boostingWithClusters: profile.union(id).union([.titleTarget, .cluster])
        default: []
        }
    }
}

/// Settings of the learners in the comparison (recorded in the step configuration).
public struct ModelSettings: Sendable, Codable, Equatable {
    /// Gradient boosting: LightGBM's parameters, tuned lightly for a 7.6 % positive rate.
    public var boosting: GradientBoostingParameters
    /// Inverse L2 strength of the dense logistic regression.
    public var profileC: Double
    /// Inverse L2 strength of the sparse (TF-IDF) logistic regression.
    public var tokensC: Double
    /// Additive smoothing of naive Bayes.
    public var naiveBayesAlpha: Double
    /// Number of cross-validation folds.
    public var foldCount: Int
    /// Leak check: also feed the record id (`id_number`) to the dense models. Off by default.
    public var includeRecordID: Bool = false

    public static func standard(seed: UInt64) -> ModelSettings {
        ModelSettings(
            boosting: GradientBoostingParameters(
                leafCount: 31, minDataInLeaf: 100, lambdaL2: 1, learningRate: 0.1, roundCount: 100,
                featureFraction: 0.7, baggingFraction: 0.7, baggingFrequency: 1, seed: seed),
            profileC: 1, tokensC: 1, naiveBayesAlpha: 0.5, foldCount: 5, includeRecordID: false)
    }

}

/// Everything the candidates read, for train and test rows.
public struct ModelInputs: Sendable {
    /// Train labels (0/1, `pos` = 1).
    public var labels: [UInt8]
    /// Dense features of the features step (profile families + cluster family) with the
    /// out-of-fold title statistics appended (family `titleTarget`).
    public var denseTrain: FeatureSet
    public var denseTest: FeatureSet
    /// All-tokens TF-IDF.
    public var tokensTrain: SparseMatrix
    public var tokensTest: SparseMatrix
    /// Bag-of-titles TF-IDF.
    public var titlesTrain: SparseMatrix
    public var titlesTest: SparseMatrix

    public init(labels: [UInt8], denseTrain: FeatureSet, denseTest: FeatureSet, tokensTrain: SparseMatrix,
                tokensTest: SparseMatrix, titlesTrain: SparseMatrix, titlesTest: SparseMatrix) {
        self.labels = labels
        self.denseTrain = denseTrain
        self.denseTest = denseTest
        self.tokensTrain = tokensTrain
        self.tokensTest = tokensTest
        self.titlesTrain = titlesTrain
        self.titlesTest = titlesTest
    }
}

/// Which rows a fitted candidate scores.
public enum ScoredRows: Sendable {
    /// The given rows of the train set (validation fold).
    case train([Int])
    /// Every test row.
    case test
}

/// A fitted candidate's scores and, for boosting, its model.
public struct CandidateFit: Sendable {
    public var scores: [Double]
    /// Scores of every test row by the same fitted model, when asked for (`scoreTest`).
    public var testScores: [Double]? = nil
    public var boostingModel: GradientBoostingModel?
    /// Column names the dense model read (for importance).
    public var featureNames: [String]
}

extension CandidateModel {
    /// Fits the (non-stack) candidate on `trainRows` and scores `scored`.
    public func fit(inputs: ModelInputs, settings: ModelSettings, trainRows: [Int], scoring scored: ScoredRows,
                    scoreTest: Bool = false) throws -> CandidateFit {
        let labels = trainRows.map { inputs.labels[$0] }
        switch self {
        case .prior:
            let rate = Double(labels.reduce(0) { $0 + Int($1) }) / Double(max(1, labels.count))
            let n: Int = switch scored { case .train(let rows): rows.count; case .test: inputs.denseTest.matrix.rowCount }
            let testCount = inputs.denseTest.matrix.rowCount
            return CandidateFit(scores: [Double](repeating: rate, count: n),
                                testScores: scoreTest ? [Double](repeating: rate, count: testCount) : nil,
                                boostingModel: nil, featureNames: [])
        case .logisticProfile, .boostingGenreHourDay, .boostingEngineered, .boostingWithClusters:
            let columns = inputs.denseTrain.columns(of: denseFamilies(includeRecordID: settings.includeRecordID))
            let names = columns.map { inputs.denseTrain.matrix.columnNames[$0] }
            let x = inputs.denseTrain.matrix.selecting(rows: trainRows, columns: columns)
            let scoredMatrix: DenseMatrix = switch scored {
            case .train(let rows): inputs.denseTrain.matrix.selecting(rows: rows, columns: columns)
            case .test: inputs.denseTest.matrix.selecting(rows: nil, columns: columns)
            }
            let testDense = scoreTest ? inputs.denseTest.matrix.selecting(rows: nil, columns: columns) : nil
            if self == .logisticProfile {
                let model = try LogisticRegression(inverseRegularization: settings.profileC, standardize: true)
                    .fit(features: x, labels: labels)
                return CandidateFit(scores: model.predictProbability(scoredMatrix), testScores: testDense.map(model.predictProbability),
                                    boostingModel: nil, featureNames: names)
            }
            let model = try GradientBoostingClassifier(parameters: settings.boosting).fit(features: x, labels: labels)
            return CandidateFit(scores: model.predictProbability(scoredMatrix), testScores: testDense.map(model.predictProbability),
                                boostingModel: model, featureNames: names)
        case .logisticTokens:
            let x = inputs.tokensTrain.rows(trainRows)
            let model = try LogisticRegression(inverseRegularization: settings.tokensC, standardize: false)
                .fit(features: x, labels: labels)
            let scoredMatrix: SparseMatrix = switch scored {
            case .train(let rows): inputs.tokensTrain.rows(rows)
            case .test: inputs.tokensTest
            }
            return CandidateFit(scores: model.predictProbability(scoredMatrix),
                                testScores: scoreTest ? model.predictProbability(inputs.tokensTest) : nil,
                                boostingModel: nil, featureNames: [])
        case .naiveBayesTitles:
            let x = inputs.titlesTrain.rows(trainRows)
            let model = try NaiveBayes(kind: .complement, smoothing: settings.naiveBayesAlpha).fit(features: x, labels: labels)
            let scoredMatrix: SparseMatrix = switch scored {
            case .train(let rows): inputs.titlesTrain.rows(rows)
            case .test: inputs.titlesTest
            }
            return CandidateFit(scores: model.predictProbability(scoredMatrix),
                                testScores: scoreTest ? model.predictProbability(inputs.titlesTest) : nil,
                                boostingModel: nil, featureNames: [])
        case .stack:
            throw ModelsStepError.stackIsNotABaseModel
        }
    }
}

/// Stacking: logistic regression on the logits of base-model probabilities.
public struct StackModel: Codable, Sendable, Equatable {
    /// The base models, in column order.
    public var baseModels: [CandidateModel]
    /// The fitted logistic regression on standardised logits.
    public var combiner: LogisticRegressionModel

    /// Fits the combiner on out-of-fold base predictions (`columns[m][row]`).
    public static func fit(baseModels: [CandidateModel], predictions: [[Double]], labels: [UInt8]) throws -> StackModel {
        let combiner = try LogisticRegression(inverseRegularization: 1, standardize: true)
            .fit(features: logitMatrix(predictions), labels: labels)
        return StackModel(baseModels: baseModels, combiner: combiner)
    }

    /// P(pos) from base-model probabilities (`predictions[m][row]`).
    public func predict(_ predictions: [[Double]]) -> [Double] {
        combiner.predictProbability(StackModel.logitMatrix(predictions))
    }

    static func logitMatrix(_ predictions: [[Double]]) -> DenseMatrix {
        let rowCount = predictions.first?.count ?? 0
        let width = predictions.count
        var values = [Float](repeating: 0, count: rowCount * width)
        for (m, column) in predictions.enumerated() {
            for r in 0 ..< rowCount {
                let p = min(max(column[r], 1e-6), 1 - 1e-6)
                values[r * width + m] = Float(log(p / (1 - p)))
            }
        }
        return DenseMatrix(rowCount: rowCount, columnCount: width, values: values)
    }
}

/// Errors of the modelling steps.
public enum ModelsStepError: Error, CustomStringConvertible {
    case unlabelledTrain
    case stackIsNotABaseModel
    case rowMismatch(String)
    case missingArtifact(String)

    public var description: String {
        switch self {
        case .unlabelledTrain: "models: the train file has no segments, so nothing can be cross-validated"
        case .stackIsNotABaseModel: "models: the stack is fitted from out-of-fold predictions, not directly"
        case .rowMismatch(let text): "models: \(text); rerun the features step (swift run analyze --from features)"
        case .missingArtifact(let path): "models: \(path) is missing; run the upstream steps first (swift run analyze)"
        }
    }
}

extension DenseMatrix {
    /// The given rows (all when `nil`) restricted to the given columns, in that order.
    func selecting(rows: [Int]?, columns: [Int]) -> DenseMatrix {
        let rowList = rows ?? Array(0 ..< rowCount)
        let width = columns.count
        var out = [Float](repeating: 0, count: rowList.count * width)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for (i, r) in rowList.enumerated() {
                    let base = r * columnCount
                    for (j, c) in columns.enumerated() { target[i * width + j] = source[base + c] }
                }
            }
        }
        return DenseMatrix(rowCount: rowList.count, columnCount: width, values: out,
                           columnNames: columns.map { columnNames[$0] })
    }
}
