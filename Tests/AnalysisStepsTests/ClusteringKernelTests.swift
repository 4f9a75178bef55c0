import FeatureEngineering
import Foundation
import Learning
import SegmentData
import Testing
@testable import AnalysisSteps

@Suite struct ClusteringKernelTests {
    /// Three tight, well separated blobs in 3-D.
    func blobs(perBlob: Int = 200) -> (DenseMatrix, [Int]) {
        var rng = SeededGenerator(seed: 9)
        let centres: [[Float]] = [[0, 0, 0], [10, 0, 0], [0, 10, 10]]
        var values: [Float] = [], truth: [Int] = []
        for (c, centre) in centres.enumerated() {
            for _ in 0 ..< perBlob {
                values += centre.map { $0 + Float(rng.nextGaussian() * 0.5) }
                truth.append(c)
            }
        }
        return (DenseMatrix(rowCount: truth.count, columnCount: 3, values: values), truth)
    }

    @Test func kMeansRecoversSeparatedBlobs() throws {
        let (points, truth) = blobs()
        let fit = try ClusteringKernels.kMeans(points, k: 3, restarts: 2, seed: 1)
        // Each true blob maps to exactly one cluster and vice versa.
        var mapping: [Int: Set<Int>] = [:]
        for (a, t) in zip(fit.assignments, truth) { mapping[t, default: []].insert(a) }
        #expect(mapping.values.allSatisfy { $0.count == 1 })
        #expect(Set(mapping.values.map { $0.first! }).count == 3)
        // Inertia is the sum of squared distances to the assigned centres.
        let d = ClusteringKernels.distances(points, centres: fit.centres, clusterCount: 3)
        let recomputed = fit.assignments.enumerated().reduce(0.0) { $0 + Double(d[$1.offset * 3 + $1.element] * d[$1.offset * 3 + $1.element]) }
        #expect(abs(recomputed - fit.inertia) / fit.inertia < 1e-3)
        // Each row's assigned centre is its nearest.
        for r in 0 ..< points.rowCount {
            #expect(d[r * 3 + fit.assignments[r]] <= d[r * 3 ..< r * 3 + 3].min()! + 1e-5)
        }
        #expect(throws: ClusteringError.self) { try ClusteringKernels.kMeans(points, k: 0, restarts: 1, seed: 1) }
    }

    @Test func kMeansIsDeterministic() throws {
        let (points, _) = blobs(perBlob: 50)
        let a = try ClusteringKernels.kMeans(points, k: 4, restarts: 2, seed: 5)
        let b = try ClusteringKernels.kMeans(points, k: 4, restarts: 2, seed: 5)
        #expect(a.assignments == b.assignments && a.centres == b.centres)
    }

    @Test func kneedleFindsTheElbow() {
        #expect(ClusteringKernels.knee(ks: Array(2 ... 9), inertias: [100, 50, 20, 15, 12, 10, 9, 8]) == 4)
        // A straight line has no knee.
        #expect(ClusteringKernels.knee(ks: Array(2 ... 9), inertias: (2 ... 9).map { 100 - 10 * Double($0) }) == nil)
        #expect(ClusteringKernels.knee(ks: [2, 3], inertias: [5, 1]) == nil)
    }

    @Test func silhouetteByHand() {
        // Points 0, 1 | 10, 11 on a line.
        let points = DenseMatrix(rowCount: 4, columnCount: 1, values: [0, 1, 10, 11])
        let distances = ClusteringKernels.distanceMatrix(points)
        let s = ClusteringKernels.silhouette(distances: distances, assignments: [0, 0, 1, 1], clusterCount: 2)
        let expected = (9.5 / 10.5 + 8.5 / 9.5) / 2
        #expect(abs(s - expected) < 1e-9)
        // A bad split scores lower.
        #expect(ClusteringKernels.silhouette(distances: distances, assignments: [0, 1, 0, 1], clusterCount: 2) < 0)
    }

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
