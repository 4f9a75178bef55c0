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

/// The result of `KMeans.sweep`: inertia per k and the elbow found by Kneedle.
public struct KMeansSweep: Sendable {
    public var clusterCounts: [Int]
    public var models: [KMeansModel]
    public var inertias: [Double] { models.map(\.inertia) }
    /// The k at the knee of the inertia curve, or nil when the curve has none.
    public var kneeClusterCount: Int? {
        kneeIndex(x: clusterCounts.map(Double.init), y: inertias).map { clusterCounts[$0] }
    }

    public init(clusterCounts: [Int], models: [KMeansModel]) {
        self.clusterCounts = clusterCounts
        self.models = models
    }
}

/// The knee of a decreasing, convex curve (an elbow), by Kneedle (Satopää, Albrecht, Irwin &
/// Raghavan 2011): normalise both axes to [0, 1] and take the point farthest below the chord from
/// the first to the last point, i.e. the maximum of the difference curve (1 − x̂) − ŷ.
/// Returns nil for fewer than three points or when no point lies below the chord.
public func kneeIndex(x: [Double], y: [Double]) -> Int? {
    precondition(x.count == y.count, "kneeIndex: \(x.count) x values but \(y.count) y values")
    guard x.count >= 3, let xMin = x.min(), let xMax = x.max(), let yMin = y.min(), let yMax = y.max(),
          xMax > xMin, yMax > yMin else { return nil }
    // Orient so that the curve runs from its highest to its lowest value.
    let decreasing = y.first! >= y.last!
    var bestIndex: Int?
    var bestDifference = 1e-12
    for i in x.indices {
        let xn = (x[i] - xMin) / (xMax - xMin)
        let yn = (y[i] - yMin) / (yMax - yMin)
        let chord = decreasing ? 1 - xn : xn
        let difference = chord - yn
        if difference > bestDifference { bestDifference = difference; bestIndex = i }
    }
    return bestIndex
}

/// Dense rows for k-means, with the row-level kernels.
struct KMeansData: Sendable {
    let rowCount: Int
    let columnCount: Int
    let values: [Float]
    /// SIMD8 blocks per padded row.
    let blockCount: Int
    /// The rows again, each zero-padded to `8 · blockCount` floats, for the SIMD distance kernel.
    let padded: [Float]

    init(_ features: DenseMatrix) {
        rowCount = features.rowCount
        columnCount = features.columnCount
        values = features.values
        blockCount = max(1, (features.columnCount + 7) / 8)
        padded = Self.pad(features.values, rowCount: features.rowCount, columnCount: features.columnCount,
                          blockCount: blockCount)
    }

    private static func pad(_ values: [Float], rowCount: Int, columnCount: Int, blockCount: Int) -> [Float] {
        let paddedWidth = 8 * blockCount
        if paddedWidth == columnCount { return values }
        var out = [Float](repeating: 0, count: rowCount * paddedWidth)
        for r in 0 ..< rowCount {
            for j in 0 ..< columnCount { out[r * paddedWidth + j] = values[r * columnCount + j] }
        }
        return out
    }

    /// Centres as zero-padded single-precision rows for `fastSquaredDistance`.
    func paddedCentres(_ centres: [Double]) -> [Float] {
        let k = centres.count / max(columnCount, 1)
        var out = [Float](repeating: 0, count: k * 8 * blockCount)
        for c in 0 ..< k {
            for j in 0 ..< columnCount { out[c * 8 * blockCount + j] = Float(centres[c * columnCount + j]) }
        }
        return out
    }

    /// Squared distance of padded row `row` to padded centre `centre`, in single precision with
    /// 8-wide SIMD (about 3× the scalar double loop); used to choose centres, never for inertia.
    @inline(__always)
    static func fastSquaredDistance(_ rows: UnsafeRawBufferPointer, row: Int, _ centres: UnsafeRawBufferPointer,
                                    centre: Int, blockCount: Int) -> Float {
        var accumulator = SIMD8<Float>(repeating: 0)
        let rowOffset = row * blockCount * 32, centreOffset = centre * blockCount * 32
        for block in 0 ..< blockCount {
            let x = rows.loadUnaligned(fromByteOffset: rowOffset + block * 32, as: SIMD8<Float>.self)
            let c = centres.loadUnaligned(fromByteOffset: centreOffset + block * 32, as: SIMD8<Float>.self)
            let d = x - c
            accumulator += d * d
        }
        return accumulator.sum()
    }

    @inline(__always)
    func squaredDistance(row: Int, centres: [Double], centre: Int) -> Double {
        var total = 0.0
        let base = row * columnCount, centreBase = centre * columnCount
        values.withUnsafeBufferPointer { v in
            centres.withUnsafeBufferPointer { c in
                for j in 0 ..< columnCount {
                    let d = Double(v[base + j]) - c[centreBase + j]
                    total += d * d
                }
            }
        }
        return total
    }

    /// Squared distance between two rows (single-precision SIMD kernel).
    @inline(__always)
    func squaredDistance(row: Int, toRow other: Int) -> Double {
        padded.withUnsafeBytes { p in
            Double(Self.fastSquaredDistance(p, row: row, p, centre: other, blockCount: blockCount))
        }
    }

    /// The nearest of `clusterCount` padded centres, and the exact squared distance to it.
    @inline(__always)
    func nearest(row: Int, paddedCentres: [Float], centres: [Double], clusterCount: Int) -> (cluster: Int, distance: Double) {
        var best = 0
        padded.withUnsafeBytes { p in
            paddedCentres.withUnsafeBytes { c in
                var bestDistance = Float.infinity
                for centre in 0 ..< clusterCount {
                    let d = Self.fastSquaredDistance(p, row: row, c, centre: centre, blockCount: blockCount)
                    if d < bestDistance { bestDistance = d; best = centre }
                }
            }
        }
        return (best, squaredDistance(row: row, centres: centres, centre: best))
    }

    func meanColumnVariance() -> Double {
        guard rowCount > 0, columnCount > 0 else { return 0 }
        var total = 0.0
        for j in 0 ..< columnCount {
            var sum = 0.0, squares = 0.0
            for r in 0 ..< rowCount { let x = Double(values[r * columnCount + j]); sum += x; squares += x * x }
            let mean = sum / Double(rowCount)
            total += max(0, squares / Double(rowCount) - mean * mean)
        }
        return total / Double(columnCount)
    }

    /// Greedy k-means++ seeding (scikit-learn's `_kmeans_plusplus`).
    func plusPlusCentres(clusterCount: Int, generator: inout SeededGenerator) -> [Double] {
        var centres = [Double]()
        centres.reserveCapacity(clusterCount * columnCount)
        let trialCount = 2 + Int(log(Double(clusterCount)))
        let first = generator.nextIndex(below: rowCount)
        appendRow(first, to: &centres)
        var closest = parallelChunks(count: rowCount) { rows in
            rows.map { squaredDistance(row: $0, toRow: first) }
        }.flatMap { $0 }
        for _ in 1 ..< clusterCount {
            // Candidates drawn with probability ∝ current squared distance (inverse CDF).
            var cumulative = [Double](repeating: 0, count: rowCount)
            var running = 0.0
            for r in 0 ..< rowCount { running += closest[r]; cumulative[r] = running }
            let candidates: [Int] = (0 ..< trialCount).map { _ in
                let target = generator.nextUnitDouble() * running
                var lo = 0, hi = rowCount - 1
                while lo < hi {  // first index with cumulative > target
                    let mid = (lo + hi) / 2
                    if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
                }
                return lo
            }
            // Potential after adding each candidate; keep the best.
            let closestSnapshot = closest
            let candidateDistances: [[Double]] = candidates.map { candidate in
                parallelChunks(count: rowCount) { rows in
                    rows.map { min(closestSnapshot[$0], squaredDistance(row: $0, toRow: candidate)) }
                }.flatMap { $0 }
            }
            var bestTrial = 0, bestPotential = Double.infinity
            for (t, distances) in candidateDistances.enumerated() {
                let p = distances.reduce(0, +)
                if p < bestPotential { bestPotential = p; bestTrial = t }
            }
            closest = candidateDistances[bestTrial]
            appendRow(candidates[bestTrial], to: &centres)
        }
        return centres
    }

    private func appendRow(_ row: Int, to centres: inout [Double]) {
        for j in 0 ..< columnCount { centres.append(Double(values[row * columnCount + j])) }
    }

    /// Slow reference: plain Lloyd iterations (every row against every centre, every iteration)
    /// with the same stopping rules as `hamerly`, which must give the same clustering.
    func lloydReference(centres start: [Double], maxIterationCount: Int, absoluteTolerance: Double) -> KMeansModel {
        let k = start.count / columnCount
        let width = columnCount
        var centres = start
        var assignments = [Int](repeating: -1, count: rowCount)
        var iteration = 0
        while iteration < maxIterationCount {
            iteration += 1
            let current = centres
            let currentPadded = paddedCentres(centres)
            let previousAssignments = assignments
            // Assignment + accumulation per chunk.
            let parts = parallelChunks(count: rowCount) { rows -> (assignments: [Int], sums: [Double], counts: [Int], changed: Int) in
                var sums = [Double](repeating: 0, count: k * width)
                var counts = [Int](repeating: 0, count: k)
                var chunkAssignments = [Int]()
                chunkAssignments.reserveCapacity(rows.count)
                var changed = 0
                for r in rows {
                    let (cluster, _) = nearest(row: r, paddedCentres: currentPadded, centres: current, clusterCount: k)
                    chunkAssignments.append(cluster)
                    if cluster != previousAssignments[r] { changed += 1 }
                    counts[cluster] += 1
                    let base = r * width, centreBase = cluster * width
                    for j in 0 ..< width { sums[centreBase + j] += Double(values[base + j]) }
                }
                return (chunkAssignments, sums, counts, changed)
            }
            assignments = parts.flatMap(\.assignments)
            var sums = [Double](repeating: 0, count: k * width)
            var counts = [Int](repeating: 0, count: k)
            var changed = 0
            for part in parts {
                for i in 0 ..< sums.count { sums[i] += part.sums[i] }
                for c in 0 ..< k { counts[c] += part.counts[c] }
                changed += part.changed
            }
            if changed == 0 { break }  // strict convergence: centres are already the means
            relocateEmptyClusters(counts: &counts, sums: &sums, assignments: &assignments, centres: current)
            var shift = 0.0
            for c in 0 ..< k {
                for j in 0 ..< width {
                    let updated = counts[c] > 0 ? sums[c * width + j] / Double(counts[c]) : current[c * width + j]
                    let d = updated - current[c * width + j]
                    shift += d * d
                    centres[c * width + j] = updated
                }
            }
            if shift <= absoluteTolerance { break }
        }
        return finalModel(centres: centres, iterationCount: iteration)
    }

    /// Lloyd's algorithm accelerated with Hamerly's bounds: per row an upper bound on the distance to
    /// its centre and a lower bound on the distance to every other centre. A row is skipped while
    /// upper ≤ max(lower, ½ · distance from its centre to the nearest other centre). Centre sums are
    /// kept up to date from the rows that change cluster (per-chunk deltas), so a late iteration
    /// costs O(n) plus the few rows near a boundary.
    func hamerly(centres start: [Double], maxIterationCount: Int, absoluteTolerance: Double) -> KMeansModel {
        let k = start.count / columnCount
        let width = columnCount
        let n = rowCount
        var centres = start
        var assignments = [Int](repeating: 0, count: n)
        var upper = [Double](repeating: .infinity, count: n)
        var lower = [Double](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: k * width)
        var counts = [Int](repeating: 0, count: k)
        var halfGaps = [Double](repeating: 0, count: k)
        var iteration = 0
        var firstPass = true
        while iteration < maxIterationCount {
            iteration += 1
            // ½ · distance to the nearest other centre, per centre.
            for c in 0 ..< k {
                var nearest = Double.infinity
                for other in 0 ..< k where other != c {
                    var d = 0.0
                    for j in 0 ..< width { let x = centres[c * width + j] - centres[other * width + j]; d += x * x }
                    nearest = min(nearest, d)
                }
                halfGaps[c] = k > 1 ? nearest.squareRoot() / 2 : .infinity
            }
            let current = paddedCentres(centres), gaps = halfGaps, initial = firstPass
            let blocks = blockCount
            let deltas = assignments.withUnsafeMutableBufferPointer { a in
                upper.withUnsafeMutableBufferPointer { u in
                    lower.withUnsafeMutableBufferPointer { l in
                        padded.withUnsafeBytes { p in
                            current.withUnsafeBytes { cen in
                                values.withUnsafeBufferPointer { v in
                                parallelChunks(count: n) { rows -> (sums: [Double], counts: [Int], changed: Int) in
                                    var deltaSums = [Double](repeating: 0, count: k * width)
                                    var deltaCounts = [Int](repeating: 0, count: k)
                                    var changed = 0
                                    for r in rows {
                                        let old = a[r]
                                        if !initial {
                                            let bound = max(gaps[old], l[r])
                                            if u[r] <= bound { continue }
                                            // Tighten the upper bound, then test again.
                                            let d = Self.fastSquaredDistance(p, row: r, cen, centre: old, blockCount: blocks)
                                            u[r] = Double(d).squareRoot()
                                            if u[r] <= bound { continue }
                                        }
                                        var best = 0, bestDistance = Float.infinity, second = Float.infinity
                                        for c in 0 ..< k {
                                            let d = Self.fastSquaredDistance(p, row: r, cen, centre: c, blockCount: blocks)
                                            if d < bestDistance { second = bestDistance; bestDistance = d; best = c }
                                            else if d < second { second = d }
                                        }
                                        u[r] = Double(bestDistance).squareRoot()
                                        l[r] = Double(second).squareRoot()
                                        if initial || best != old {
                                            a[r] = best
                                            changed += 1
                                            deltaCounts[best] += 1
                                            if !initial { deltaCounts[old] -= 1 }
                                            for j in 0 ..< width {
                                                let x = Double(v[r * width + j])
                                                deltaSums[best * width + j] += x
                                                if !initial { deltaSums[old * width + j] -= x }
                                            }
                                        }
                                    }
                                    return (deltaSums, deltaCounts, changed)
                                }
                                }
                            }
                        }
                    }
                }
            }
            firstPass = false
            var changed = 0
            for part in deltas {
                for i in 0 ..< sums.count { sums[i] += part.sums[i] }
                for c in 0 ..< k { counts[c] += part.counts[c] }
                changed += part.changed
            }
            if changed == 0 { break }  // strict convergence: centres are already the means
            if counts.contains(0) {
                let before = assignments
                relocateEmptyClusters(counts: &counts, sums: &sums, assignments: &assignments, centres: centres)
                for r in 0 ..< n where assignments[r] != before[r] { upper[r] = .infinity; lower[r] = 0 }
            }
            // Move the centres to the means and loosen the bounds by how far they moved.
            var moves = [Double](repeating: 0, count: k)
            var shift = 0.0
            for c in 0 ..< k where counts[c] > 0 {
                var moved = 0.0
                for j in 0 ..< width {
                    let updated = sums[c * width + j] / Double(counts[c])
                    let d = updated - centres[c * width + j]
                    moved += d * d
                    centres[c * width + j] = updated
                }
                shift += moved
                moves[c] = moved.squareRoot()
            }
            var largest = 0, largestMove = 0.0, secondMove = 0.0
            for c in 0 ..< k {
                if moves[c] > largestMove { secondMove = largestMove; largestMove = moves[c]; largest = c }
                else if moves[c] > secondMove { secondMove = moves[c] }
            }
            for r in 0 ..< n {
                let a = assignments[r]
                upper[r] += moves[a]
                lower[r] -= a == largest ? secondMove : largestMove
            }
            if shift <= absoluteTolerance { break }
        }
        return finalModel(centres: centres, iterationCount: iteration)
    }

    /// Assignment and inertia of every row against the final centres (as scikit-learn).
    private func finalModel(centres: [Double], iterationCount: Int) -> KMeansModel {
        let k = centres.count / columnCount
        let finalPadded = paddedCentres(centres)
        let parts = parallelChunks(count: rowCount) { rows -> ([Int], Double) in
            var inertia = 0.0
            let labels = rows.map { r -> Int in
                let (cluster, distance) = nearest(row: r, paddedCentres: finalPadded, centres: centres, clusterCount: k)
                inertia += distance
                return cluster
            }
            return (labels, inertia)
        }
        let assignments = parts.flatMap(\.0)
        var sizes = [Int](repeating: 0, count: k)
        for a in assignments { sizes[a] += 1 }
        return KMeansModel(clusterCount: k, columnCount: columnCount, centres: centres,
                           inertia: parts.reduce(0) { $0 + $1.1 }, assignments: assignments,
                           clusterSizes: sizes, iterationCount: iterationCount)
    }

    /// Moves each empty cluster onto the row farthest from its centre (scikit-learn's rule).
    private func relocateEmptyClusters(counts: inout [Int], sums: inout [Double], assignments: inout [Int],
                                       centres: [Double]) {
        let empty = counts.indices.filter { counts[$0] == 0 }
        guard !empty.isEmpty else { return }
        let distances = (0 ..< rowCount).map { squaredDistance(row: $0, centres: centres, centre: assignments[$0]) }
        let farthest = (0 ..< rowCount).sorted { distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1 }
        var used = 0
        for cluster in empty {
            // Take the farthest row whose own cluster keeps at least one member.
            while used < farthest.count && counts[assignments[farthest[used]]] <= 1 { used += 1 }
            guard used < farthest.count else { break }
            let row = farthest[used]
            used += 1
            let old = assignments[row]
            counts[old] -= 1
            counts[cluster] += 1
            for j in 0 ..< columnCount {
                let x = Double(values[row * columnCount + j])
                sums[old * columnCount + j] -= x
                sums[cluster * columnCount + j] += x
            }
            assignments[row] = cluster
        }
    }
}
