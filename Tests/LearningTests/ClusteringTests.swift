import Core
import Testing
@testable import Learning

/// `countPerBlob` Gaussian points (sd 0.3) around each of `centres` (2-D).
private func blobs(_ centres: [(Double, Double)], countPerBlob: Int, seed: UInt64) -> DenseMatrix {
    var generator = SeededGenerator(seed: seed)
    var values = [Float]()
    for (x, y) in centres {
        for _ in 0 ..< countPerBlob {
            values.append(Float(x + 0.3 * generator.nextGaussian()))
            values.append(Float(y + 0.3 * generator.nextGaussian()))
        }
    }
    return DenseMatrix(rowCount: centres.count * countPerBlob, columnCount: 2, values: values)
}

/// Slow reference inertia: nearest-centre squared distances summed row by row.
private func referenceInertia(_ features: DenseMatrix, _ model: KMeansModel) -> Double {
    var total = 0.0
    for r in 0 ..< features.rowCount {
        var best = Double.infinity
        for c in 0 ..< model.clusterCount {
            let centre = model.centre(c)
            var d = 0.0
            for j in 0 ..< features.columnCount { let x = Double(features[r, j]) - centre[j]; d += x * x }
            best = min(best, d)
        }
        total += best
    }
    return total
}

@Suite struct KMeansTests {
    let threeBlobs = blobs([(0, 0), (6, 0), (3, 5)], countPerBlob: 150, seed: 4)

    @Test func threeSeparatedBlobsGiveKneeAtThree() throws {
        let sweep = try KMeans.sweep(threeBlobs, clusterCounts: 2 ... 9, seed: 1)
        #expect(sweep.kneeClusterCount == 3)
        #expect(sweep.inertias.count == 8)
        // Inertia falls with k (one start each; allow tiny non-monotonic noise).
        #expect(sweep.inertias[1] < sweep.inertias[0] * 0.5)
    }

    @Test func findsTheThreeBlobs() throws {
        let model = try KMeans(clusterCount: 3, seed: 7).fit(threeBlobs)
        #expect(model.clusterSizes.sorted() == [150, 150, 150])
        // Every blob lands in one cluster.
        for blob in 0 ..< 3 {
            let clusters = Set(model.assignments[blob * 150 ..< (blob + 1) * 150])
            #expect(clusters.count == 1)
        }
        #expect(abs(model.inertia - referenceInertia(threeBlobs, model)) < 1e-6 * model.inertia)
        #expect(model.assign(threeBlobs) == model.assignments)
    }

    @Test func deterministicBySeed() throws {
        let data = blobs([(0, 0), (1, 1), (2, 0), (5, 5)], countPerBlob: 60, seed: 2)
        let a = try KMeans(clusterCount: 5, seed: 11).fit(data)
        let b = try KMeans(clusterCount: 5, seed: 11).fit(data)
        #expect(a == b)
        var generator = SeededGenerator(seed: 3)
        let first = KMeansData(data).plusPlusCentres(clusterCount: 5, generator: &generator)
        generator = SeededGenerator(seed: 3)
        #expect(KMeansData(data).plusPlusCentres(clusterCount: 5, generator: &generator) == first)
        generator = SeededGenerator(seed: 4)
        #expect(KMeansData(data).plusPlusCentres(clusterCount: 5, generator: &generator) != first)
    }

    @Test(arguments: [2, 5, 9])
    func hamerlyMatchesPlainLloyd(clusterCount: Int) {
        let data = KMeansData(blobs([(0, 0), (1, 1), (2, 0), (5, 5), (4, 1), (0, 4)], countPerBlob: 80, seed: 8))
        var generator = SeededGenerator(seed: UInt64(clusterCount))
        let start = data.plusPlusCentres(clusterCount: clusterCount, generator: &generator)
        let fast = data.hamerly(centres: start, maxIterationCount: 300, absoluteTolerance: 0)
        let slow = data.lloydReference(centres: start, maxIterationCount: 300, absoluteTolerance: 0)
        #expect(fast.assignments == slow.assignments)
        #expect(fast.iterationCount == slow.iterationCount)
        #expect(abs(fast.inertia - slow.inertia) < 1e-9 * slow.inertia)
        #expect(zip(fast.centres, slow.centres).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    @Test func moreStartsNeverIncreaseInertia() throws {
        let data = blobs([(0, 0), (1, 1), (2, 0), (5, 5), (4, 1)], countPerBlob: 40, seed: 5)
        let one = try KMeans(clusterCount: 6, initCount: 1, seed: 3).fit(data)
        let many = try KMeans(clusterCount: 6, initCount: 6, seed: 3).fit(data)
        #expect(many.inertia <= one.inertia + 1e-9)
    }

    @Test func transformGivesDistancesToCentres() throws {
        let model = try KMeans(clusterCount: 3, seed: 7).fit(threeBlobs)
        let distances = model.transform(threeBlobs)
        #expect(distances.columnCount == 3)
        for r in [0, 200, 449] {
            let nearest = (0 ..< 3).min { distances[r, $0] < distances[r, $1] }
            #expect(nearest == model.assignments[r])
        }
    }

    @Test func kneedleOnKnownCurve() {
        // Sharp elbow at x = 3.
        #expect(kneeIndex(x: [1, 2, 3, 4, 5, 6], y: [100, 50, 10, 8, 6, 4]) == 2)
        // A straight line has no knee.
        #expect(kneeIndex(x: [1, 2, 3, 4], y: [4, 3, 2, 1]) == nil)
    }

    @Test func silhouetteKnownCase() throws {
        // scikit-learn: silhouette_score([[0],[1],[4],[5],[4.5]], [0,0,1,1,1]) = 0.797222…
        let features = DenseMatrix(rowCount: 5, columnCount: 1, values: [0, 1, 4, 5, 4.5])
        let score = try silhouetteScore(features: features, assignments: [0, 0, 1, 1, 1], sampleSize: nil)
        #expect(abs(score - 0.7972222222222223) < 1e-12)
    }

    @Test func silhouetteSampleIsSeeded() throws {
        let model = try KMeans(clusterCount: 3, seed: 7).fit(threeBlobs)
        let a = try silhouetteScore(features: threeBlobs, assignments: model.assignments, sampleSize: 100, seed: 1)
        let b = try silhouetteScore(features: threeBlobs, assignments: model.assignments, sampleSize: 100, seed: 1)
        #expect(a == b)
        #expect(a > 0.8)
    }

    @Test func badSettingsAreRejected() {
        #expect(throws: KMeansError.invalidClusterCount(0)) { try KMeans(clusterCount: 0) }
        let tiny = DenseMatrix(rowCount: 2, columnCount: 1, values: [0, 1])
        #expect(throws: KMeansError.tooFewRows(rowCount: 2, clusterCount: 3)) { try KMeans(clusterCount: 3).fit(tiny) }
        let bad = DenseMatrix(rowCount: 2, columnCount: 1, values: [0, .infinity])
        #expect(throws: KMeansError.nonFiniteFeature(row: 1, column: 0, value: .infinity)) {
            try KMeans(clusterCount: 1).fit(bad)
        }
    }
}

@Suite struct PCATests {
    @Test func recoversKnownPrincipalAxis() throws {
        // Points spread along (1, 2, 0)/√5 with small noise in the other directions.
        var generator = SeededGenerator(seed: 6)
        var values = [Float]()
        let axis = [1 / 5.0.squareRoot(), 2 / 5.0.squareRoot(), 0]
        for _ in 0 ..< 2000 {
            let t = 4 * generator.nextGaussian()
            for j in 0 ..< 3 { values.append(Float(10 + t * axis[j] + 0.1 * generator.nextGaussian())) }
        }
        let features = DenseMatrix(rowCount: 2000, columnCount: 3, values: values)
        let pca = try PCA(fitting: features, componentCount: 2)
        let first = pca.component(0)
        let cosine = zip(first, axis).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(cosine > 0.999)
        #expect(pca.explainedVarianceRatios[0] > 0.99)
        #expect(pca.explainedVarianceRatios[0] >= pca.explainedVarianceRatios[1])
        let scores = pca.transform(features)
        #expect(scores.columnCount == 2)
        // Projected scores have mean ≈ 0 and variance ≈ the explained variance.
        let column = (0 ..< 2000).map { Double(scores[$0, 0]) }
        let mean = column.reduce(0, +) / 2000
        let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 1999
        #expect(abs(mean) < 1e-3)
        #expect(abs(variance - pca.explainedVariances[0]) < 1e-3 * variance)
    }

    @Test func jacobiDiagonalisesKnownMatrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, −1)/√2.
        let (values, vectors) = symmetricEigenDecomposition([2, 1, 1, 2], dimension: 2)
        #expect(Set(values.map { ($0 * 1e9).rounded() / 1e9 }) == [3, 1])
        let k = values[0] > values[1] ? 0 : 1
        #expect(abs(abs(vectors[0 * 2 + k]) - 1 / 2.0.squareRoot()) < 1e-12)
        #expect(abs(vectors[0 * 2 + k] - vectors[1 * 2 + k]) < 1e-12)
    }

    @Test func rejectsBadComponentCount() {
        let features = DenseMatrix(rowCount: 3, columnCount: 2, values: [1, 2, 3, 4, 5, 7])
        #expect(throws: PCAError.invalidComponentCount(requested: 3, columnCount: 2)) {
            try PCA(fitting: features, componentCount: 3)
        }
    }
}
