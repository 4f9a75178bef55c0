import Charts
import ChartRenderer
import Core
import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData

/// The `importance` step: what the best boosting model relies on.
///
/// Reads the fold models the models step saved (each fitted without one fold) and measures, on
/// that held-out fold only: split-gain importance (averaged over folds), permutation importance
/// (AUC drop when a column is shuffled, with repeats) for the strongest columns, and grouped
/// permutation importance per feature family (all of a family's columns shuffled together).
public struct ImportanceStep: AnalysisStep {
    public static let name = "importance"
    public static let title = "Feature importance"
    public static let version = 2
    public static let upstream: [any AnalysisStep.Type] = [FeaturesStep.self, ModelsStep.self]
    public static let figures = ["gain-importance.png", "permutation-importance.png", "family-importance.png"]

    /// Columns (by gain) whose permutation importance is measured.
    public var permutedColumnCount = 25
    /// Shuffles per column and fold.
    public var repeatCount = 3
    /// Held-out rows used per fold (a seeded sample; all rows when fewer).
    public var heldOutSampleSize = 12_000

    public init() {}

    /// The permutation settings hashed into the fingerprint.
    public struct Configuration: Codable, Sendable, Equatable {
        public var permutedColumnCount: Int
        public var repeatCount: Int
        public var heldOutSampleSize: Int

        enum CodingKeys: String, CodingKey {
            case permutedColumnCount = "columns", repeatCount = "repeats", heldOutSampleSize = "sample"
        }
    }

    public var configuration: Configuration {
        Configuration(permutedColumnCount: permutedColumnCount, repeatCount: repeatCount, heldOutSampleSize: heldOutSampleSize)
    }

    public func run(in context: StepContext) throws {
        let data = try context.data()
        guard let labels = data.train.labels else { throw ModelsStepError.unlabelledTrain }
        let modelsDirectory = try context.upstreamArtifacts(ModelsStep.self)
        let choice = try ModelArtifacts.readChoice(from: modelsDirectory)
        let foldOf = try ModelArtifacts.readFolds(from: modelsDirectory)
        let inputs = try context.phase("load features") {
            try ModelArtifacts.loadInputs(featuresDirectory: try context.upstreamArtifacts(FeaturesStep.self),
                                          modelsDirectory: modelsDirectory, labels: labels, includeSparse: false)
        }
        let models = try Self.foldModels(in: modelsDirectory, foldCount: (foldOf.max() ?? -1) + 1)
        let names = models[0].featureNames
        let columnIndex = Dictionary(uniqueKeysWithValues: inputs.denseTrain.matrix.columnNames.enumerated().map { ($1, $0) })
        let columns = try names.map { name -> Int in
            guard let c = columnIndex[name] else { throw ModelsStepError.rowMismatch("the saved model reads column \(name), which the features no longer have") }
            return c
        }
        let families = columns.map { inputs.denseTrain.families[$0] }

        let gain = context.phase("gain importance") { Self.meanShare(models.map { $0.featureImportance(.gain) }) }
        let splitCounts = Self.mean(models.map { $0.featureImportance(.split) })
        let permuted = Array(gain.indices.sorted { gain[$0] > gain[$1] }.prefix(permutedColumnCount))
        let familyGroups = Dictionary(grouping: names.indices, by: { families[$0] })
            .sorted { $0.key.rawValue < $1.key.rawValue }

        let drops = try context.phase("permutation importance (\(permuted.count) columns, \(familyGroups.count) families, \(models.count) folds)") {
            try permutationDrops(models: models, foldOf: foldOf, inputs: inputs, columns: columns, permuted: permuted,
                                 familyGroups: familyGroups.map(\.value), seed: context.seed)
        }
        let columnResults = permuted.map { c in
            ColumnImportance(name: names[c], family: families[c], gainShare: gain[c], splitCount: splitCounts[c],
                             permutationDrop: PermutationImportance(column: c, name: names[c], drops: drops.columns[c]))
        }
        let familyResults = familyGroups.enumerated().map { g, group in
            FamilyImportance(family: group.key, columnCount: group.value.count, gainShare: group.value.reduce(0) { $0 + gain[$1] },
                             permutationDrop: PermutationImportance(column: -1, name: group.key.title, drops: drops.families[g]))
        }
        try context.phase("charts and section") {
            try ImportanceSection(model: choice.bestBoosting, names: names, families: families, gain: gain,
                                  columns: columnResults, familyResults: familyResults,
                                  baselineAUC: drops.baselines.reduce(0, +) / Double(max(1, drops.baselines.count)),
                                  repeatCount: repeatCount, heldOutSampleSize: heldOutSampleSize, foldCount: models.count)
                .write(context: context)
        }
    }

    /// Held-out AUCs and drops pooled over folds: per model column, per family group, and each fold's baseline.
    struct PermutationDrops {
        var columns: [[Double]]
        var families: [[Double]]
        var baselines: [Double]
    }

    /// Permutation importance of each fold model on (a seeded sample of) the fold it did not see.
    func permutationDrops(models: [GradientBoostingModel], foldOf: [Int], inputs: ModelInputs, columns: [Int], permuted: [Int],
                          familyGroups: [[Int]], seed: UInt64) throws -> PermutationDrops {
        var drops = PermutationDrops(columns: [[Double]](repeating: [], count: columns.count),
                                     families: [[Double]](repeating: [], count: familyGroups.count), baselines: [])
        for (k, model) in models.enumerated() {
            var rows = foldOf.indices.filter { foldOf[$0] == k }
            if rows.count > heldOutSampleSize {
                var generator = SeededGenerator(seed: seed, stream: UInt64(k))
                generator.shuffle(&rows)
                rows = Array(rows.prefix(heldOutSampleSize)).sorted()
            }
            let heldOut = inputs.denseTrain.matrix.selecting(rows: rows, columns: columns)
            let heldOutLabels = rows.map { inputs.labels[$0] }
            let result = try permutationImportance(model: model, features: heldOut, labels: heldOutLabels,
                                                   repeatCount: repeatCount, seed: seed &+ UInt64(k), columns: permuted)
            drops.baselines.append(result.baselineAUC)
            for entry in result.importances { drops.columns[entry.column].append(contentsOf: entry.drops) }
            let grouped = try groupedPermutationImportance(model: model, features: heldOut, labels: heldOutLabels, groups: familyGroups,
                                                           repeatCount: repeatCount, seed: seed &+ 7919 &* UInt64(k + 1))
            for (g, groupDrops) in grouped.drops.enumerated() { drops.families[g].append(contentsOf: groupDrops) }
        }
        return drops
    }

    /// The best boosting candidate's fold models saved by the models step (`boosting-fold-<k>.json`).
    static func foldModels(in directory: URL, foldCount: Int) throws -> [GradientBoostingModel] {
        let models = try (0 ..< foldCount).map { k -> GradientBoostingModel in
            let url = directory.appendingPathComponent(ModelArtifacts.boostingFoldFile(k))
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
            return try GradientBoostingModel(jsonData: Data(contentsOf: url))
        }
        guard !models.isEmpty else { throw ModelsStepError.missingArtifact(directory.path + "/" + ModelArtifacts.boostingFoldFile(0)) }
        return models
    }

    /// The mean over models of each column's share of the model's total (gain shares).
    static func meanShare(_ perModel: [[Double]]) -> [Double] {
        mean(perModel.map { values in
            let sum = max(values.reduce(0, +), 1e-300)
            return values.map { $0 / sum }
        })
    }

    /// The element-wise mean of equally long vectors.
    static func mean(_ perModel: [[Double]]) -> [Double] {
        guard let first = perModel.first else { return [] }
        var total = [Double](repeating: 0, count: first.count)
        for values in perModel { for i in values.indices { total[i] += values[i] / Double(perModel.count) } }
        return total
    }
}

/// One column's importances.
struct ColumnImportance {
    var name: String
    var family: FeatureFamily
    var gainShare: Double
    var splitCount: Double
    var permutationDrop: PermutationImportance
}

/// One family's importances (gain summed; permutation of all its columns together).
struct FamilyImportance {
    var family: FeatureFamily
    var columnCount: Int
    var gainShare: Double
    var permutationDrop: PermutationImportance
}
