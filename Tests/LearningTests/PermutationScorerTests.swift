import Core
import Evaluation
import Foundation
import Testing
@testable import Learning

/// The fast permutation path for boosting (re-predict only the trees that split on a shuffled column)
/// against the slow reference (predict the whole matrix again).
@Suite struct PermutationScorerTests {
    /// Hides the model's type, so the permutation functions take the slow path (full prediction).
    struct OpaqueModel: BinaryClassifier {
        let model: GradientBoostingModel
        func predictProbability(_ features: DenseMatrix) -> [Double] { model.predictProbability(features) }
    }

    /// Six columns: 0 and 1 carry the signal, 2 a little, 3–5 noise; a few NaNs in column 2.
    static func problem() throws -> (model: GradientBoostingModel, features: DenseMatrix, labels: [UInt8]) {
        var generator = SeededGenerator(seed: 21)
        var values = [Float](), labels = [UInt8]()
        for row in 0 ..< 3000 {
            let x = (0 ..< 6).map { _ in generator.nextGaussian() }
            values += x.enumerated().map { c, v in c == 2 && row % 17 == 0 ? .nan : Float(v) }
            labels.append(generator.nextUnitDouble() < 1 / (1 + exp(-(2 * x[0] - 1.5 * x[1] + 0.5 * x[2]))) ? 1 : 0)
        }
        let features = DenseMatrix(rowCount: 3000, columnCount: 6, values: values, columnNames: (0 ..< 6).map { "x\($0)" })
        let parameters = GradientBoostingParameters(leafCount: 7, minDataInLeaf: 20, roundCount: 40, featureFraction: 0.5, seed: 3)
        let model = try GradientBoostingClassifier(parameters: parameters).fit(features: features, labels: labels)
        return (model, features, labels)
    }

    @Test func boostingFastPathEqualsFullPredictionBitForBit() throws {
        let (model, features, labels) = try Self.problem()
        // Not every tree splits on every column, so the fast path really skips trees.
        #expect(model.trees.contains { !$0.splitFeatures.contains(0) })
        let fast = try permutationImportance(model: model, features: features, labels: labels, repeatCount: 3, seed: 5)
        let slow = try permutationImportance(model: OpaqueModel(model: model), features: features, labels: labels, repeatCount: 3, seed: 5)
        #expect(fast.baselineAUC == slow.baselineAUC)
        #expect(fast.importances == slow.importances)
        #expect(fast.importances[0].meanDrop > 0.05 && abs(fast.importances[5].meanDrop) < 0.01)

        let groups = [[0, 1], [2], [3, 4, 5]]
        let fastGroups = try groupedPermutationImportance(model: model, features: features, labels: labels, groups: groups, repeatCount: 2, seed: 9)
        let slowGroups = try groupedPermutationImportance(model: OpaqueModel(model: model), features: features, labels: labels,
                                                          groups: groups, repeatCount: 2, seed: 9)
        #expect(fastGroups.drops == slowGroups.drops)
        #expect(fastGroups.drops[0].allSatisfy { $0 > fastGroups.drops[2].max()! })
    }

    @Test func scorerWithNothingChangedReproducesThePrediction() throws {
        let (model, features, _) = try Self.problem()
        let scorer = PermutationScorer(model: model, features: features)
        #expect(scorer.probabilities(features, changedColumns: []) == model.predictProbability(features))
        #expect(scorer.probabilities(features, changedColumns: [0, 1, 2, 3, 4, 5]) == model.predictProbability(features))
    }

    @Test func aColumnOutsideTheMatrixIsAnError() throws {
        let (model, features, labels) = try Self.problem()
        #expect(throws: CrossValidationError.columnOutOfRange(column: 6, columnCount: 6)) {
            try permutationImportance(model: model, features: features, labels: labels, columns: [0, 6])
        }
        #expect(throws: CrossValidationError.columnOutOfRange(column: -1, columnCount: 6)) {
            try groupedPermutationImportance(model: model, features: features, labels: labels, groups: [[0], [-1]])
        }
    }
}
