import Core
import Evaluation
import FeatureEngineering
import Foundation
import Learning
import SegmentData

/// Settings of the clustering analysis.
public struct ClusteringSettings: Sendable, Equatable {
    /// The k values of the elbow sweep.
    public var kRange: ClosedRange<Int> = 2 ... 12
    /// Users sampled for the sweep (k-means per k on the sample; the final fit uses everyone).
    public var sweepSampleSize = 20_000
    /// Users (from the sweep sample) on which the silhouette is computed for each k (O(n²)).
    public var silhouetteSampleSize = 2_000
    /// k-means++ restarts per k (the lowest inertia wins).
    public var restarts = 2
    /// Points drawn in the PCA scatter.
    public var scatterSampleSize = 20_000
    /// Standardised values are clipped to ±`clip` so a few users with a rare genre cannot
    /// pull a centre of their own.
    public var clip: Float = 5

    public init() {}

    /// Throws ``ClusteringError/badSetting(_:)`` naming the first bad value.
    public func validate() throws {
        guard kRange.lowerBound >= 2 else { throw ClusteringError.badSetting("kRange must start at 2 or more, got \(kRange)") }
        guard sweepSampleSize >= 2 * kRange.upperBound else {
            throw ClusteringError.badSetting("sweepSampleSize \(sweepSampleSize) is below twice the largest k (\(kRange.upperBound))")
        }
        guard silhouetteSampleSize >= 2 else { throw ClusteringError.badSetting("silhouetteSampleSize must be ≥ 2, got \(silhouetteSampleSize)") }
        guard restarts >= 1 else { throw ClusteringError.badSetting("restarts must be ≥ 1, got \(restarts)") }
        guard scatterSampleSize >= 1 else { throw ClusteringError.badSetting("scatterSampleSize must be ≥ 1, got \(scatterSampleSize)") }
        guard clip > 0, clip.isFinite else { throw ClusteringError.badSetting("clip must be a positive number, got \(clip)") }
    }
}

/// The outcome of clustering every user (train then test rows).
public struct ClusteringResult: Sendable {
    /// Profile columns clustered on (`genre_share:*`, `hour_share:*`, `day_share:*`, `log_total_seconds`).
    public var profileColumns: [String]
    public var standardizer: Standardizer
    /// One entry per k of the sweep: mean squared distance to the nearest centre (on the sample) and the silhouette.
    public var sweep: [(k: Int, inertia: Double, silhouette: Double)]
    /// The knee of the inertia curve found by Kneedle, if any.
    public var kneeK: Int?
    /// The k used for the final clustering.
    public var chosenK: Int
    /// Why `chosenK` was chosen.
    public var choiceReason: String
    /// Centres in standardised units, `chosenK × profileColumns.count`, clusters ordered by size (largest first).
    public var centres: [Float]
    /// Cluster of each user: train rows then test rows.
    public var assignments: [Int]
    /// Distance of each user to each centre (`distances[row * k + c]`).
    public var distances: [Float]
    /// Mean viewing profile per cluster and of everyone (raw units).
    public var clusterProfiles: [ViewingProfile]
    public var overallProfile: ViewingProfile
    /// Users per cluster (train + test), train users per cluster and positives among them.
    public var sizes: [Int]
    public var trainSizes: [Int]
    public var trainPositives: [Int]
    /// Short description of each cluster.
    public var descriptions: [String]
    /// PCA scatter sample: first two principal-component scores and the cluster of each drawn user.
    public var scatter: [(x: Float, y: Float, cluster: Int)]
    /// Share of variance explained by the first two components.
    public var explainedVariance: [Double]
    /// Mean squared distance to the nearest centre over all users after the final fit.
    public var finalInertia: Double
}

/// Clusters users on standardised viewing profiles (see ``ClusteringStep``).
public enum ClusteringAnalysis {
    /// Families whose columns form the clustering profile.
    public static let profileFamilies: Set<FeatureFamily> = [.genreShares, .hourShares, .dayShares]

    /// Profile column indices in a profile ``FeatureSet``: genre, hour and day shares and log total seconds.
    static func profileColumns(_ f: FeatureSet) -> [Int] {
        var cols = f.columns(of: profileFamilies)
        if let total = f.column(named: "log_total_seconds") { cols.append(total) }
        return cols
    }

    /// Standardises the profiles of all users, sweeps k on a sample (inertia, silhouette),
    /// picks k at the Kneedle knee (the best silhouette when there is no knee), fits k-means on
    /// every user, and summarises the clusters.
    public static func run(data: WatchData, profile: ProfileFeatures, settings: ClusteringSettings, seed: UInt64,
                           phase: (String, () throws -> Void) throws -> Void = { _, body in try body() }) throws -> ClusteringResult {
        try settings.validate()
        let trainCount = data.train.userCount
        let userCount = trainCount + data.test.userCount
        let columnIndices = profileColumns(profile.train)
        let columnNames = columnIndices.map { profile.train.matrix.columnNames[$0] }
        let width = columnIndices.count
        guard userCount >= 2 * settings.kRange.upperBound else { throw ClusteringError.tooFewUsers(userCount) }

        var raw = DenseMatrix(rowCount: 0, columnCount: width, columnNames: columnNames)
        var standardizer = Standardizer(means: [], scales: [])
        var points = raw
        try phase("standardise profiles") {
            (raw, standardizer, points) = standardisedProfiles(profile, columnIndices: columnIndices,
                                                               columnNames: columnNames, clip: settings.clip)
        }

        // Sweep on a sample.
        var order = Array(0 ..< userCount)
        var rng = SeededGenerator(seed: seed, stream: 1)
        rng.shuffle(&order)
        let sampleRows = Array(order.prefix(settings.sweepSampleSize)).sorted()
        let sample = points.rows(sampleRows)
        let silhouetteRows = Array(0 ..< min(settings.silhouetteSampleSize, sampleRows.count))
        var sweep: [(k: Int, inertia: Double, silhouette: Double)] = []
        var kneeK: Int?
        var sweepModels: [KMeansModel] = []
        try phase("k sweep on \(sampleRows.count) users") {
            (sweep, kneeK, sweepModels) = try sweepClusterCounts(sample, silhouetteRows: silhouetteRows,
                                                                 settings: settings, seed: seed)
        }
        let (chosenK, reason) = chooseClusterCount(kneeK: kneeK, sweep: sweep, settings: settings)

        // Every user is assigned to the nearest centre of the chosen k's fit on the sample
        // (a 20,000-user sample pins 2–12 centres in 67 dimensions well; a full Lloyd run on
        // 300,000 users costs ten times more and moves the centres little).
        var model = KMeansModel(clusterCount: 0, columnCount: width, centres: [], inertia: 0, assignments: [],
                                clusterSizes: [], iterationCount: 0)
        try phase("assign all \(userCount) users (k = \(chosenK))") {
            model = try assignAll(points, sweepModels: sweepModels, clusterCount: chosenK)
        }
        let ordered = orderedBySize(model)
        let assignments = ordered.assignments
        let centres = ordered.centres.map { Float($0) }
        let distances = ordered.transform(points).values
        let (sizes, trainSizes, trainPositives) = clusterCounts(assignments: assignments, clusterCount: chosenK,
                                                                trainCount: trainCount, labels: data.train.labels ?? [])
        let genreNames = data.genres.names
        let profiles = meanProfiles(raw, columnNames: columnNames, assignments: assignments, clusterCount: chosenK,
                                    genreCount: genreNames.count)
        let descriptions = profiles.clusters.map {
            ClusterDescriber.describe($0, overall: profiles.overall, genreNames: genreNames)
        }

        // PCA scatter.
        var scatter: [(x: Float, y: Float, cluster: Int)] = []
        var explained: [Double] = []
        try phase("PCA scatter") {
            let pca = try PCA(fitting: sample, componentCount: 2)
            explained = pca.explainedVarianceRatios
            let drawn = Array(order.prefix(settings.scatterSampleSize))
            let projected = pca.transform(points.rows(drawn)).values
            scatter = drawn.indices.map { (projected[2 * $0], projected[2 * $0 + 1], assignments[drawn[$0]]) }
        }

        let inertia = summedSquaredDistance(distances, assignments: assignments, clusterCount: chosenK)
        return ClusteringResult(
            profileColumns: columnNames, standardizer: standardizer, sweep: sweep, kneeK: kneeK, chosenK: chosenK,
            choiceReason: reason, centres: centres, assignments: assignments, distances: distances,
            clusterProfiles: profiles.clusters, overallProfile: profiles.overall, sizes: sizes, trainSizes: trainSizes,
            trainPositives: trainPositives, descriptions: descriptions, scatter: scatter, explainedVariance: explained,
            finalInertia: inertia / Double(userCount))
    }

    /// Mean raw profile per cluster and overall.
    static func meanProfiles(_ raw: DenseMatrix, columnNames: [String], assignments: [Int], clusterCount k: Int,
                             genreCount: Int) -> (clusters: [ViewingProfile], overall: ViewingProfile) {
        let width = raw.columnCount
        var sums = [Double](repeating: 0, count: (k + 1) * width)
        var counts = [Int](repeating: 0, count: k + 1)
        for r in 0 ..< raw.rowCount {
            let c = assignments[r]
            counts[c] += 1
            counts[k] += 1
            for j in 0 ..< width {
                let v = Double(raw.values[r * width + j])
                sums[c * width + j] += v
                sums[k * width + j] += v
            }
        }
        func profile(_ c: Int) -> ViewingProfile {
            let n = Double(max(1, counts[c]))
            let mean = (0 ..< width).map { sums[c * width + $0] / n }
            func block(_ prefix: String) -> [Double] {
                columnNames.indices.filter { columnNames[$0].hasPrefix(prefix) }.map { mean[$0] }
            }
            let total = columnNames.firstIndex(of: "log_total_seconds").map { mean[$0] } ?? 0
            return ViewingProfile(genreShares: block("genre_share:"), hourShares: block("hour_share:"),
                                  dayShares: block("day_share:"), logTotalSeconds: total)
        }
        return ((0 ..< k).map(profile), profile(k))
    }
}

/// Errors of the clustering analysis.
public enum ClusteringError: Error, CustomStringConvertible, Equatable {
    case tooFewUsers(Int)
    case badSetting(String)
    case algorithm(String)

    public var description: String {
        switch self {
        case .tooFewUsers(let n): "clustering: \(n) users are too few for the k sweep"
        case .badSetting(let text): "clustering settings: \(text)"
        case .algorithm(let text): "clustering: \(text)"
        }
    }
}
