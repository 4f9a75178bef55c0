import Core

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with k-means settings or data, naming the bad value.
public enum KMeansError: Error, Equatable, CustomStringConvertible {
    case invalidClusterCount(Int)
    case invalidInitCount(Int)
    case invalidMaxIterationCount(Int)
    case invalidTolerance(Double)
    case tooFewRows(rowCount: Int, clusterCount: Int)
    case nonFiniteFeature(row: Int, column: Int, value: Float)
    case invalidSampleSize(Int)
    case assignmentCountMismatch(rowCount: Int, assignmentCount: Int)
    case emptyClusterRange

    public var description: String {
        switch self {
        case .invalidClusterCount(let k): return "k-means: clusterCount must be at least 1, got \(k)"
        case .invalidInitCount(let n): return "k-means: initCount must be at least 1, got \(n)"
        case .invalidMaxIterationCount(let n): return "k-means: maxIterationCount must be at least 1, got \(n)"
        case .invalidTolerance(let t): return "k-means: tolerance must be non-negative and finite, got \(t)"
        case .tooFewRows(let rows, let k): return "k-means: \(rows) rows cannot form \(k) clusters"
        case .nonFiniteFeature(let row, let column, let value):
            return "k-means: feature at row \(row), column \(column) is \(value) (not finite)"
        case .invalidSampleSize(let n): return "silhouette: sampleSize must be at least 2, got \(n)"
        case .assignmentCountMismatch(let rows, let count):
            return "silhouette: \(rows) rows but \(count) cluster assignments"
        case .emptyClusterRange: return "k-means sweep: the range of cluster counts is empty"
        }
    }
}

/// k-means clustering (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007) in
/// scikit-learn's greedy form: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with
/// probability ∝ D², judged by the resulting potential.
///
/// Lloyd iterations stop when no assignment changes or when the total squared centre shift is at
/// most `tolerance` × the mean column variance (scikit-learn's `tol`). Empty clusters are moved
/// to the points farthest from their centres. Of `initCount` seeded starts the lowest inertia wins.
/// Iterations use Hamerly's bounds (Hamerly 2010), which skip rows that provably keep their centre
/// and give the same result as plain Lloyd; they run in parallel over row chunks.
public struct KMeans: Sendable {
    public let clusterCount: Int
    public let initCount: Int
    public let maxIterationCount: Int
    public let tolerance: Double
    public let seed: UInt64

    public init(clusterCount: Int, initCount: Int = 1, maxIterationCount: Int = 300, tolerance: Double = 1e-4,
                seed: UInt64 = 0) throws(KMeansError) {
        guard clusterCount >= 1 else { throw .invalidClusterCount(clusterCount) }
        guard initCount >= 1 else { throw .invalidInitCount(initCount) }
        guard maxIterationCount >= 1 else { throw .invalidMaxIterationCount(maxIterationCount) }
        guard tolerance >= 0, tolerance.isFinite else { throw .invalidTolerance(tolerance) }
        self.clusterCount = clusterCount
        self.initCount = initCount
        self.maxIterationCount = maxIterationCount
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Clusters the rows of `features` (which must be finite: standardise first to impute).
    public func fit(_ features: DenseMatrix) throws(KMeansError) -> KMeansModel {
        guard features.rowCount >= clusterCount else {
            throw .tooFewRows(rowCount: features.rowCount, clusterCount: clusterCount)
        }
        if let bad = features.values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteFeature(row: bad / features.columnCount, column: bad % features.columnCount,
                                    value: features.values[bad])
        }
        let data = KMeansData(features)
        let absoluteTolerance = tolerance * data.meanColumnVariance()
        func run(start: Int) -> KMeansModel {
            var generator = SeededGenerator(seed: seed, stream: UInt64(start))
            let initial = data.plusPlusCentres(clusterCount: clusterCount, generator: &generator)
            return data.hamerly(centres: initial, maxIterationCount: maxIterationCount,
                                absoluteTolerance: absoluteTolerance)
        }
        var best = run(start: 0)
        for start in 1 ..< initCount {
            let model = run(start: start)
            if model.inertia < best.inertia { best = model }
        }
        return best
    }

    /// Fits k-means for every k in `clusterCounts` and finds the elbow of inertia against k.
    public static func sweep(_ features: DenseMatrix, clusterCounts: ClosedRange<Int> = 2 ... 12, initCount: Int = 1,
                             maxIterationCount: Int = 300, tolerance: Double = 1e-4,
                             seed: UInt64 = 0) throws(KMeansError) -> KMeansSweep {
        guard !clusterCounts.isEmpty else { throw .emptyClusterRange }
        var models = [KMeansModel]()
        for k in clusterCounts {
            let kmeans = try KMeans(clusterCount: k, initCount: initCount, maxIterationCount: maxIterationCount,
                                    tolerance: tolerance, seed: seed &+ UInt64(k))
            models.append(try kmeans.fit(features))
        }
        return KMeansSweep(clusterCounts: Array(clusterCounts), models: models)
    }
}

/// A fitted k-means model: centres, the training rows' clusters and the inertia.
public struct KMeansModel: Sendable, Codable, Equatable {
    public var clusterCount: Int
    public var columnCount: Int
    /// Row-major centres, `clusterCount × columnCount`.
    public var centres: [Double]
    /// Sum of squared distances of the training rows to their nearest centre.
    public var inertia: Double
    /// The cluster of each training row.
    public var assignments: [Int]
    public var clusterSizes: [Int]
    public var iterationCount: Int

    public init(clusterCount: Int, columnCount: Int, centres: [Double], inertia: Double, assignments: [Int],
                clusterSizes: [Int], iterationCount: Int) {
        self.clusterCount = clusterCount
        self.columnCount = columnCount
        self.centres = centres
        self.inertia = inertia
        self.assignments = assignments
        self.clusterSizes = clusterSizes
        self.iterationCount = iterationCount
    }

    /// Centre `cluster` as an array of `columnCount` values.
    public func centre(_ cluster: Int) -> [Double] {
        Array(centres[cluster * columnCount ..< (cluster + 1) * columnCount])
    }

    /// The nearest centre of each row of `features`.
    public func assign(_ features: DenseMatrix) -> [Int] {
        precondition(features.columnCount == columnCount,
                     "KMeansModel: fitted on \(columnCount) columns, given \(features.columnCount)")
        let data = KMeansData(features)
        let paddedCentres = data.paddedCentres(centres)
        return parallelChunks(count: features.rowCount) { rows in
            rows.map { data.nearest(row: $0, paddedCentres: paddedCentres, centres: centres, clusterCount: clusterCount).cluster }
        }.flatMap { $0 }
    }

    /// Euclidean distances of each row to every centre (`rowCount × clusterCount`), as
    /// scikit-learn's `KMeans.transform`.
    public func transform(_ features: DenseMatrix) -> DenseMatrix {
        precondition(features.columnCount == columnCount,
                     "KMeansModel: fitted on \(columnCount) columns, given \(features.columnCount)")
        let data = KMeansData(features)
        let k = clusterCount
        let values = parallelChunks(count: features.rowCount) { rows -> [Float] in
            var out = [Float]()
            out.reserveCapacity(rows.count * k)
            for r in rows {
                for c in 0 ..< k { out.append(Float(data.squaredDistance(row: r, centres: centres, centre: c).squareRoot())) }
            }
            return out
        }.flatMap { $0 }
        return DenseMatrix(rowCount: features.rowCount, columnCount: k, values: values,
                           columnNames: (0 ..< k).map { "distance_to_cluster_\($0)" })
    }
}
