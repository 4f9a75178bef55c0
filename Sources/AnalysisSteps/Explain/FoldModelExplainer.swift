import Core
import FeatureEngineering
import Foundation
import Learning

/// The best boosting candidate's fold models (saved by the models step) and the SHAP values of
/// their average: the average model's raw score is the mean of the fold models' raw scores, and
/// Shapley values are linear in the model, so its SHAP values are the mean of theirs.
struct FoldModelExplainer: Sendable {
    /// The fold models, fold 0 first.
    let models: [GradientBoostingModel]
    /// The columns the models read, in model order.
    let columnNames: [String]
    /// For each model column, its index among the feature matrix's columns.
    let sourceColumns: [Int]

    /// Reads `boosting-fold-<k>.json` for every fold of `folds.json` and finds each model column
    /// among `featureColumns` (the dense test matrix's columns).
    init(modelsDirectory: URL, featureColumns: [String]) throws {
        let foldCount = (try ModelArtifacts.readFolds(from: modelsDirectory).max() ?? -1) + 1
        let models = try (0 ..< foldCount).map { k -> GradientBoostingModel in
            let url = modelsDirectory.appendingPathComponent(ModelArtifacts.boostingFoldFile(k))
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
            return try GradientBoostingModel(jsonData: Data(contentsOf: url))
        }
        guard let first = models.first else {
            throw ModelsStepError.missingArtifact(modelsDirectory.appendingPathComponent(ModelArtifacts.boostingFoldFile(0)).path)
        }
        if let other = models.firstIndex(where: { $0.featureNames != first.featureNames }) {
            throw ExplainError.inconsistentModels("fold model \(other) reads other columns than fold model 0")
        }
        let position = Dictionary(featureColumns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        sourceColumns = try first.featureNames.map { name in
            guard let column = position[name] else {
                throw ModelsStepError.rowMismatch("the saved boosting model reads column \(name), which the features no longer have")
            }
            return column
        }
        self.models = models
        columnNames = first.featureNames
    }

    /// The given rows of `features` (all its columns) in the models' column order.
    func design(_ features: DenseMatrix, rows: [Int]) -> DenseMatrix {
        features.selecting(rows: rows, columns: sourceColumns)
    }

    /// The fold-averaged model's SHAP values (log-odds) for `rows` of `features`; the last value of
    /// each row is the expected value, and each row sums to the mean of the fold models' raw scores.
    func shapValues(_ features: DenseMatrix, rows: [Int]) throws -> TreeSHAPExplanation {
        let x = design(features, rows: rows)
        var total: TreeSHAPExplanation?
        for model in models {
            let explanation = try model.shapValuesByLeafPaths(x)
            if var sum = total {
                for i in sum.values.indices { sum.values[i] += explanation.values[i] }
                total = sum
            } else {
                total = explanation
            }
        }
        guard var mean = total else { throw ExplainError.inconsistentModels("there are no fold models") }
        let scale = 1 / Double(models.count)
        for i in mean.values.indices { mean.values[i] *= scale }
        return mean
    }

    /// The fold-averaged raw score (log-odds) of each of `rows`.
    func rawScores(_ features: DenseMatrix, rows: [Int]) -> [Double] {
        let x = design(features, rows: rows)
        var total = [Double](repeating: 0, count: rows.count)
        for model in models {
            for (i, score) in model.predictRawScores(x).enumerated() { total[i] += score / Double(models.count) }
        }
        return total
    }
}

/// Errors of the explanation step, each naming what is wrong.
public enum ExplainError: Error, CustomStringConvertible, Equatable {
    case inconsistentModels(String)
    case badSetting(String)
    case missingInput(String)

    public var description: String {
        switch self {
        case .inconsistentModels(let text): "explain: the saved boosting fold models do not fit together: \(text); rerun the models step"
        case .badSetting(let text): "explain: \(text)"
        case .missingInput(let text): "explain: \(text); run the upstream steps first (swift run analyze)"
        }
    }
}
