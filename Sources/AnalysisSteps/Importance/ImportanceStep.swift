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
                                          modelsDirectory: modelsDirectory, labels: labels)
        }
        let foldCount = (foldOf.max() ?? -1) + 1
        let models = try (0 ..< foldCount).map { k -> GradientBoostingModel in
            let url = modelsDirectory.appendingPathComponent(ModelArtifacts.boostingFoldFile(k))
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
            return try GradientBoostingModel(jsonData: Data(contentsOf: url))
        }
        guard let first = models.first else { throw ModelsStepError.missingArtifact(modelsDirectory.path + "/boosting-fold-0.json") }
        let names = first.featureNames
        let columnIndex = Dictionary(uniqueKeysWithValues: inputs.denseTrain.matrix.columnNames.enumerated().map { ($1, $0) })
        let columns = try names.map { name -> Int in
            guard let c = columnIndex[name] else { throw ModelsStepError.rowMismatch("the saved model reads column \(name), which the features no longer have") }
            return c
        }
        let families = columns.map { inputs.denseTrain.families[$0] }

        let gain = context.phase("gain importance") { () -> [Double] in
            var total = [Double](repeating: 0, count: names.count)
            for model in models {
                let g = model.featureImportance(.gain)
                let sum = max(g.reduce(0, +), 1e-300)
                for i in g.indices { total[i] += g[i] / sum / Double(models.count) }
            }
            return total
        }
        let splitCounts = models.reduce(into: [Double](repeating: 0, count: names.count)) { acc, m in
            for (i, v) in m.featureImportance(.split).enumerated() { acc[i] += v / Double(models.count) }
        }
        let permuted = Array(gain.indices.sorted { gain[$0] > gain[$1] }.prefix(permutedColumnCount))
        let familyGroups = Dictionary(grouping: names.indices, by: { families[$0] })
            .sorted { $0.key.rawValue < $1.key.rawValue }

        var columnDrops = [[Double]](repeating: [], count: names.count)
        var familyDrops: [FeatureFamily: [Double]] = [:]
        var baselines: [Double] = []
        try context.phase("permutation importance (\(permuted.count) columns, \(familyGroups.count) families, \(foldCount) folds)") {
            for (k, model) in models.enumerated() {
                var rows = foldOf.indices.filter { foldOf[$0] == k }
                if rows.count > heldOutSampleSize {
                    var generator = SeededGenerator(seed: context.seed, stream: UInt64(k))
                    generator.shuffle(&rows)
                    rows = Array(rows.prefix(heldOutSampleSize)).sorted()
                }
                let heldOut = inputs.denseTrain.matrix.selecting(rows: rows, columns: columns)
                let heldOutLabels = rows.map { labels[$0] }
                let result = try permutationImportance(model: model, features: heldOut, labels: heldOutLabels,
                                                       repeatCount: repeatCount, seed: context.seed &+ UInt64(k), columns: permuted)
                baselines.append(result.baselineAUC)
                for entry in result.importances { columnDrops[entry.column].append(contentsOf: entry.drops) }
                let grouped = try groupedPermutationImportance(
                    model: model, features: heldOut, labels: heldOutLabels,
                    groups: familyGroups.map { $0.value }, repeatCount: repeatCount, seed: context.seed &+ 7919 &* UInt64(k + 1))
                for (g, drops) in zip(familyGroups, grouped.drops) { familyDrops[g.key, default: []].append(contentsOf: drops) }
            }
        }

        let columnResults = permuted.map { c in
            ColumnImportance(name: names[c], family: families[c], gainShare: gain[c], splitCount: splitCounts[c],
                             permutationDrop: PermutationImportance(column: c, name: names[c], drops: columnDrops[c]))
        }
        let familyResults = familyGroups.map { family, members in
            FamilyImportance(family: family, columnCount: members.count, gainShare: members.reduce(0) { $0 + gain[$1] },
                             permutationDrop: PermutationImportance(column: -1, name: family.title, drops: familyDrops[family] ?? []))
        }
        try context.phase("charts and section") {
            try ImportanceSection(model: choice.bestBoosting, names: names, families: families, gain: gain,
                                  columns: columnResults, familyResults: familyResults,
                                  baselineAUC: baselines.reduce(0, +) / Double(max(1, baselines.count)),
                                  repeatCount: repeatCount, heldOutSampleSize: heldOutSampleSize, foldCount: foldCount)
                .write(context: context)
        }
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
