import Core
import Evaluation
import Foundation
import Testing
@testable import Learning

@Suite struct GroupedPermutationImportanceTests {
    /// Columns 0 and 1 together carry the signal (their sum); columns 2 and 3 are noise.
    @Test func informativeGroupDropsMoreThanNoiseGroup() throws {
        var generator = SeededGenerator(seed: 9)
        var values = [Float](), labels = [UInt8]()
        for _ in 0 ..< 1500 {
            let a = generator.nextGaussian(), b = generator.nextGaussian()
            values += [Float(a), Float(b), Float(generator.nextGaussian()), Float(generator.nextGaussian())]
            labels.append(generator.nextUnitDouble() < 1 / (1 + exp(-2 * (a + b))) ? 1 : 0)
        }
        let x = DenseMatrix(rowCount: 1500, columnCount: 4, values: values)
        let model = try LogisticRegression().fit(features: x, labels: labels)
        let result = try groupedPermutationImportance(model: model, features: x, labels: labels,
                                                      groups: [[0, 1], [2, 3]], repeatCount: 3, seed: 1)
        #expect(result.drops.count == 2)
        #expect(result.drops[0].count == 3)
        let signal = result.drops[0].reduce(0, +) / 3, noise = result.drops[1].reduce(0, +) / 3
        #expect(signal > 0.25)
        #expect(abs(noise) < 0.02)
        // The matrix is restored: the baseline is the model's AUC on the untouched data.
        #expect(abs(result.baselineAUC - rocAUC(scores: model.predictProbability(x), labels: labels)) < 1e-12)
        // Seeded: the same call gives the same drops.
        let again = try groupedPermutationImportance(model: model, features: x, labels: labels,
                                                     groups: [[0, 1], [2, 3]], repeatCount: 3, seed: 1)
        #expect(again.drops == result.drops)
    }
}
