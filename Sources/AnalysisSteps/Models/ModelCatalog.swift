import Core
import FeatureEngineering
import Foundation
import Learning

/// The models the comparison step cross-validates: the one list of candidates, in report order.
///
/// Adding a model is one struct conforming to ``Candidate`` (or one more instance of a generic
/// one, like ``BoostingCandidate``) and one line in ``candidates``.
public enum ModelCatalog {
    /// Every candidate the models step cross-validates on the shared folds, in this order.
    ///
    /// Boosting on the engineered features plus the cluster family (membership and distances) is not
    /// a candidate: it never beat the engineered model (mean fold AUC 0.8272 against 0.8275 on the
    /// built-in data) and cost 17 s of the run. The cluster columns stay in the saved features.
    public static let candidates: [any Candidate] = [
        PriorCandidate(),
        DenseLogisticCandidate(id: .logisticProfile, displayName: "Logistic regression, profile features",
                               inputDescription: "standardised dense profile features (no titles, no clusters)",
                               families: profileFamilies, readsRecordID: true),
        SparseLogisticCandidate(id: .logisticTokens, displayName: "Logistic regression, TF-IDF tokens",
                                inputDescription: "TF-IDF of titles, genres, cities, hours and days (sparse)", blockName: "tokens"),
        NaiveBayesCandidate(id: .naiveBayesTitles, displayName: "Naive Bayes, titles",
                            inputDescription: "TF-IDF bag of titles (sparse)", blockName: "titles"),
        BoostingCandidate(id: .boostingGenreHourDay, displayName: "Boosting, genre + hour + day",
                          inputDescription: "seconds per genre, hour and day shares, totals",
                          families: [.genreSeconds, .hourShares, .dayShares, .totals], readsRecordID: false),
        BoostingCandidate(id: .boostingEngineered, displayName: "Boosting, engineered features",
                          inputDescription: "all profile families + out-of-fold title statistics",
                          families: profileFamilies.union([.titleTarget]), readsRecordID: true),
        BoostingCandidate(id: .boostingLatentTastes, displayName: "Boosting, engineered + latent tastes",
                          inputDescription: "as engineered, plus latent tastes fitted on train and test users (topic shares)",
                          families: profileFamilies.union([.titleTarget, .latentTaste]), readsRecordID: true),
        StackedTextCandidate(),
    ]

    /// The stack (logistic regression on the logits of the base models' out-of-fold predictions), fitted last.
    public static let stack = StackDescription()

    /// The models the stack combines, in column order.
    public static var baseModels: [CandidateID] { candidates.filter(\.joinsStack).map(\.id) }

    /// Every id the comparison reports: the candidates, then the stack.
    public static var allIDs: [CandidateID] { candidates.map(\.id) + [stack.id] }

    /// The candidate with this id (not the stack), or an error naming the id.
    public static func candidate(_ id: CandidateID) throws -> any Candidate {
        guard let found = candidates.first(where: { $0.id == id }) else { throw ModelsStepError.unknownCandidate(id.rawValue) }
        return found
    }

    /// The catalog entry of `id` (the stack included), if any.
    public static func description(of id: CandidateID) -> (any CandidateDescription)? {
        id == stack.id ? stack : candidates.first { $0.id == id }
    }
}

extension CandidateID {
    public static let prior: CandidateID = "prior"
    public static let logisticProfile: CandidateID = "logistic-profile"
    public static let logisticTokens: CandidateID = "logistic-tokens"
    public static let naiveBayesTitles: CandidateID = "naive-bayes-titles"
    public static let boostingGenreHourDay: CandidateID = "boosting-genre-hour-day"
    public static let boostingEngineered: CandidateID = "boosting-engineered"
    public static let boostingLatentTastes: CandidateID = "boosting-latent-tastes"
    public static let stack: CandidateID = "stack"
}

/// Settings of the learners in the comparison (recorded in the step configuration).
public struct ModelSettings: Sendable, Codable, Equatable {
    /// Gradient boosting: LightGBM's parameters, tuned lightly for a 7.6 % positive rate. 15 leaves rather
    /// than LightGBM's 31: as good (LightGBM on the engineered + latent columns, mean fold AUC 0.8229
    /// against 0.8226) and about a fifth less work per tree.
    public var boosting: GradientBoostingParameters
    /// Inverse L2 strength of the dense logistic regression.
    public var profileC: Double
    /// L-BFGS stops the dense logistic regression when every component of its mean-scale gradient is
    /// at most this (scikit-learn's `tol`, whose default is 1e-4; the sparse model keeps 1e-6).
    public var profileGradientTolerance: Double = 1e-4
    /// Correction pairs L-BFGS keeps in both logistic regressions (scipy's `maxcor`, default 10). On the
    /// ill-conditioned profile and TF-IDF problems 60 pairs need 2–3× fewer iterations to the same tolerance.
    public var lbfgsMemoryCount: Int = 60
    /// Inverse L2 strength of the sparse (TF-IDF) logistic regression: 0.3 (scikit-learn on the presence
    /// tokens, mean fold AUC: 0.8105 at C = 0.1, 0.8131 at 0.3, 0.8088 at 1).
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
                leafCount: 15, minDataInLeaf: 100, lambdaL2: 1, learningRate: 0.1, roundCount: 100,
                featureFraction: 0.7, gradientOneSideSampling: .lightGBMDefaults, seed: seed),
            profileC: 1, profileGradientTolerance: 1e-4, lbfgsMemoryCount: 60, tokensC: 0.3, naiveBayesAlpha: 0.5, foldCount: 5, includeRecordID: false)
    }

}

/// Stacking: logistic regression on the logits of base-model probabilities.
public struct StackModel: Codable, Sendable, Equatable {
    /// The base models, in column order.
    public var baseModels: [CandidateID]
    /// The fitted logistic regression on standardised logits.
    public var combiner: LogisticRegressionModel

    /// Fits the combiner on out-of-fold base predictions (`columns[m][row]`).
    public static func fit(baseModels: [CandidateID], predictions: [[Double]], labels: [UInt8]) throws -> StackModel {
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
    case unknownCandidate(String)
    case rowMismatch(String)
    case missingArtifact(String)
    case badArtifact(String, String)
    case noBoostingCandidate

    public var description: String {
        switch self {
        case .unlabelledTrain: "models: the train file has no segments, so nothing can be cross-validated"
        case .unknownCandidate(let id): "models: no candidate model has the id '\(id)'"
        case .rowMismatch(let text): "models: \(text); rerun the features step (swift run analyze --from features)"
        case .missingArtifact(let path): "models: \(path) is missing; run the upstream steps first (swift run analyze)"
        case .noBoostingCandidate: "models: the catalog has no gradient-boosting candidate, whose fold models the importance step reads"
        case let .badArtifact(path, reason): "models: \(path): \(reason); rerun the models step (swift run models)"
        }
    }
}
