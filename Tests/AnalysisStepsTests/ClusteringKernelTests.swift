import FeatureEngineering
import Foundation
import Learning
import SegmentData
import Testing
@testable import AnalysisSteps

@Suite struct ClusteringKernelTests {
    @Test func pcaFindsTheMainDirection() throws {
        var rng = SeededGenerator(seed: 3)
        var values: [Float] = []
        for _ in 0 ..< 500 {
            let t = rng.nextGaussian() * 5, noise = rng.nextGaussian() * 0.1
            values += [Float(t + noise), Float(t - noise), Float(rng.nextGaussian() * 0.1)]
        }
        let pca = try ClusteringKernels.pca2(DenseMatrix(rowCount: 500, columnCount: 3, values: values))
        let c = pca.components[0]
        #expect(abs(abs(c[0]) - 0.5.squareRoot()) < 0.01 && abs(abs(c[1]) - 0.5.squareRoot()) < 0.01 && abs(c[2]) < 0.01)
        #expect(pca.explainedVarianceRatio[0] > 0.99)
        let (eigenvalues, _) = ClusteringKernels.jacobiEigen([2, 1, 1, 2], size: 2)
        #expect(Set(eigenvalues.map { ($0 * 1e9).rounded() / 1e9 }) == [3, 1])
    }

    @Test func describerNamesTheDistinctiveTraits() {
        let overall = ViewingProfile(genreShares: [0.5, 0.3, 0.2], hourShares: [Double](repeating: 1.0 / 24, count: 24),
                                     dayShares: [Double](repeating: 1.0 / 7, count: 7), logTotalSeconds: 8)
        var evening = [Double](repeating: 0.2 / 18, count: 24)
        for h in 18 ..< 24 { evening[h] = 0.8 / 6 }
        let cluster = ViewingProfile(genreShares: [0.9, 0.05, 0.05], hourShares: evening,
                                     dayShares: [Double](repeating: 1.0 / 7, count: 7), logTotalSeconds: 9)
        #expect(ClusterDescriber.describe(cluster, overall: overall, genreNames: ["Cricket", "Drama", "Romance"])
                == "cricket-heavy, evenings, heavy viewers")
        #expect(ClusterDescriber.describe(overall, overall: overall, genreNames: ["Cricket", "Drama", "Romance"])
                == "mixed genres, all day")
    }
}
