import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData

/// The `clustering` step: k-means on standardised viewing profiles of all users (train + test).
///
/// Profile: genre shares (35), hour shares (24), day shares (7) and log total seconds — *what*,
/// *when* and *how much* a user watches, independent of how many titles they hold — each column
/// z-scored over all users and clipped at ±5 so a handful of users of a rare genre cannot claim
/// a centre. k is swept from 2 to 12 on a seeded sample of 20,000 users (k-means++ and Lloyd, best of 2 starts per
/// k; silhouette on 2,000 of them); the knee of the inertia curve (Kneedle) is the chosen k, and
/// every user is assigned to the nearest centre of that fit. Membership and distances to the centres
/// are saved for the features step (``ClusterArtifacts``).
public struct ClusteringStep: AnalysisStep {
    public static let name = "clustering"
    public static let title = "Clustering viewers"
    public static let version = 2
    public static let artifacts = [ClusterArtifacts.trainFile, ClusterArtifacts.testFile, ClusterArtifacts.summaryFile]
    public static let figures = ["elbow-silhouette.png", "cluster-size-rate.png", "cluster-genre-heatmap.png",
                                 "cluster-hour-heatmap.png", "cluster-pca-scatter.png"]

    public var settings = ClusteringSettings()

    public init() {}

    /// Every field of ``ClusteringSettings``, hashed into the fingerprint.
    public struct Configuration: Codable, Sendable, Equatable {
        /// The k range swept, `lower-upper`.
        public var kRange: String
        public var sweepSampleSize: Int
        public var silhouetteSampleSize: Int
        public var restarts: Int
        public var clip: Double
        public var scatterSampleSize: Int

        enum CodingKeys: String, CodingKey {
            case kRange = "k", sweepSampleSize = "sweep_sample", silhouetteSampleSize = "silhouette_sample"
            case restarts, clip, scatterSampleSize = "scatter_sample"
        }
    }

    public var configuration: Configuration {
        Configuration(kRange: "\(settings.kRange.lowerBound)-\(settings.kRange.upperBound)",
                      sweepSampleSize: settings.sweepSampleSize, silhouetteSampleSize: settings.silhouetteSampleSize,
                      restarts: settings.restarts, clip: Double(settings.clip), scatterSampleSize: settings.scatterSampleSize)
    }

    public func run(in context: StepContext) throws {
        let data = try context.data()
        let profile = context.phase("profile features") { ProfileFeatures(data: data) }
        let result = try ClusteringAnalysis.run(data: data, profile: profile, settings: settings, seed: context.seed) { name, body in
            try context.phase(name, body)
        }
        try context.phase("write artifacts") { try writeArtifacts(result, data: data, context: context) }
        try context.phase("charts and section") { try writeSection(result, data: data, context: context) }
    }

    /// Membership + distance features for train and test, and `clusters.json`.
    func writeArtifacts(_ result: ClusteringResult, data: WatchData, context: StepContext) throws {
        let k = result.chosenK
        let trainCount = data.train.userCount
        let all = ClusterArtifacts.features(assignments: result.assignments, distances: result.distances, clusterCount: k)
        let train = all.selectingRows(0 ..< trainCount)
        let test = all.selectingRows(trainCount ..< all.matrix.rowCount)
        let meta = ["k": String(k), "step": Self.name]
        try MatrixArtifact.write(train, rowIDs: data.train.ids, metadata: meta,
                                 to: context.artifactDirectory.appendingPathComponent(ClusterArtifacts.trainFile))
        try MatrixArtifact.write(test, rowIDs: data.test.ids, metadata: meta,
                                 to: context.artifactDirectory.appendingPathComponent(ClusterArtifacts.testFile))
        let summary = ClusterSummaryFile(
            chosenK: k, kneeK: result.kneeK, choiceReason: result.choiceReason, profileColumns: result.profileColumns,
            means: result.standardizer.means, scales: result.standardizer.scales, clip: Double(settings.clip),
            centres: (0 ..< k).map { c in (0 ..< result.profileColumns.count).map { Double(result.centres[c * result.profileColumns.count + $0]) } },
            descriptions: result.descriptions, clusterProfiles: result.clusterProfiles, overallProfile: result.overallProfile,
            genreNames: data.genres.names, sizes: result.sizes, trainSizes: result.trainSizes,
            trainPositives: result.trainPositives,
            sweep: result.sweep.map { .init(k: $0.k, inertia: $0.inertia, silhouette: $0.silhouette) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: context.artifactDirectory.appendingPathComponent(ClusterArtifacts.summaryFile))
        try context.writeJSON(summary, to: ClusterArtifacts.summaryFile)
    }
}

/// What `clusters.json` holds.
struct ClusterSummaryFile: Codable {
    struct SweepPoint: Codable { var k: Int; var inertia: Double; var silhouette: Double }
    var chosenK: Int
    var kneeK: Int?
    var choiceReason: String
    var profileColumns: [String]
    /// Standardisation of the profile columns (z = (x − mean) / scale, then clipped to ±clip).
    var means: [Double]
    var scales: [Double]
    var clip: Double
    /// Centres in standardised units.
    var centres: [[Double]]
    var descriptions: [String]
    /// Mean raw profile (genre, hour and day shares, log total seconds) per cluster and of everyone.
    var clusterProfiles: [ViewingProfile]
    var overallProfile: ViewingProfile
    var genreNames: [String]
    var sizes: [Int]
    var trainSizes: [Int]
    var trainPositives: [Int]
    var sweep: [SweepPoint]
}
