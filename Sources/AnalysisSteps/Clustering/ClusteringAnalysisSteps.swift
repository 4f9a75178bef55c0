import Core
import FeatureEngineering
import Learning
import SegmentData

/// The pieces of ``ClusteringAnalysis/run(data:profile:settings:seed:phase:)``.
extension ClusteringAnalysis {
    /// Train then test profile columns, standardised on all users and clipped to ±`clip`.
    static func standardisedProfiles(_ profile: ProfileFeatures, columnIndices: [Int], columnNames: [String],
                                     clip: Float) -> (raw: DenseMatrix, standardizer: Standardizer, points: DenseMatrix) {
        let train = profile.train.selectingColumns(columnIndices).matrix
        let test = profile.test.selectingColumns(columnIndices).matrix
        let raw = DenseMatrix(rowCount: train.rowCount + test.rowCount, columnCount: columnIndices.count,
                              values: train.values + test.values, columnNames: columnNames)
        let standardizer = Standardizer(fitting: raw)
        var points = standardizer.transform(raw)
        for i in points.values.indices { points.values[i] = min(clip, max(-clip, points.values[i])) }
        return (raw, standardizer, points)
    }

    /// k-means for every k of the range on `sample`: mean inertia and silhouette (on the sample's
    /// first `silhouetteRows`) per k, the Kneedle knee and the fitted models.
    static func sweepClusterCounts(_ sample: DenseMatrix, silhouetteRows: [Int], settings: ClusteringSettings, seed: UInt64)
        throws -> (sweep: [(k: Int, inertia: Double, silhouette: Double)], kneeK: Int?, models: [KMeansModel]) {
        let silhouettePoints = sample.rows(silhouetteRows)
        let fits = try KMeans.sweep(sample, clusterCounts: settings.kRange, initCount: settings.restarts, seed: seed)
        var sweep: [(k: Int, inertia: Double, silhouette: Double)] = []
        for (k, model) in zip(fits.clusterCounts, fits.models) {
            let silhouette = try silhouetteScore(features: silhouettePoints,
                                                 assignments: silhouetteRows.map { model.assignments[$0] }, sampleSize: nil)
            sweep.append((k, model.inertia / Double(sample.rowCount), silhouette))
        }
        return (sweep, fits.kneeClusterCount, fits.models)
    }

    /// k at the Kneedle knee, else at the best silhouette, else the smallest k; with the reason.
    static func chooseClusterCount(kneeK: Int?, sweep: [(k: Int, inertia: Double, silhouette: Double)],
                                   settings: ClusteringSettings) -> (k: Int, reason: String) {
        if let kneeK { return (kneeK, "at the knee of the inertia curve (Kneedle)") }
        let bestSilhouette = sweep.filter { !$0.silhouette.isNaN }.max { $0.silhouette < $1.silhouette }
        return (bestSilhouette?.k ?? settings.kRange.lowerBound, "at the best silhouette (Kneedle found no knee)")
    }

    /// Every user of `points` assigned to the nearest centre of the sweep's fit with `clusterCount` clusters.
    static func assignAll(_ points: DenseMatrix, sweepModels: [KMeansModel], clusterCount: Int) throws -> KMeansModel {
        guard let fitted = sweepModels.first(where: { $0.clusterCount == clusterCount }) else {
            throw ClusteringError.algorithm("no sweep model for k = \(clusterCount)")
        }
        let all = fitted.assign(points)
        var sizes = [Int](repeating: 0, count: clusterCount)
        for a in all { sizes[a] += 1 }
        return KMeansModel(clusterCount: clusterCount, columnCount: points.columnCount, centres: fitted.centres, inertia: 0,
                           assignments: all, clusterSizes: sizes, iterationCount: fitted.iterationCount)
    }

    /// The same clustering with clusters renumbered by size, largest first (ties by old index).
    static func orderedBySize(_ model: KMeansModel) -> KMeansModel {
        let k = model.clusterCount, width = model.columnCount
        let counts = model.clusterSizes
        let bySize = (0 ..< k).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var newIndex = [Int](repeating: 0, count: k)
        for (new, old) in bySize.enumerated() { newIndex[old] = new }
        var centres = [Double](repeating: 0, count: k * width)
        for (new, old) in bySize.enumerated() {
            for j in 0 ..< width { centres[new * width + j] = model.centres[old * width + j] }
        }
        return KMeansModel(clusterCount: k, columnCount: width, centres: centres, inertia: model.inertia,
                           assignments: model.assignments.map { newIndex[$0] }, clusterSizes: bySize.map { counts[$0] },
                           iterationCount: model.iterationCount)
    }

    /// Users per cluster, training users per cluster and positives among them (train rows come first).
    static func clusterCounts(assignments: [Int], clusterCount: Int, trainCount: Int,
                              labels: [UInt8]) -> (sizes: [Int], trainSizes: [Int], trainPositives: [Int]) {
        var sizes = [Int](repeating: 0, count: clusterCount)
        var trainSizes = sizes, trainPositives = sizes
        for (row, c) in assignments.enumerated() {
            sizes[c] += 1
            if row < trainCount {
                trainSizes[c] += 1
                if row < labels.count { trainPositives[c] += Int(labels[row]) }
            }
        }
        return (sizes, trainSizes, trainPositives)
    }

    /// Sum over users of the squared distance to their own centre (`distances` is users × k).
    static func summedSquaredDistance(_ distances: [Float], assignments: [Int], clusterCount: Int) -> Double {
        var inertia = 0.0
        for (row, c) in assignments.enumerated() {
            let d = Double(distances[row * clusterCount + c])
            inertia += d * d
        }
        return inertia
    }
}
