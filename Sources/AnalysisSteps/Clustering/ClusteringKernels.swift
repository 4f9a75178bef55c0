import Dispatch
import Foundation
import Learning

/// The numeric kernels the clustering analysis calls (k-means, silhouette, Kneedle, PCA,
/// distances), kept behind one seam so they can be served by the `Learning` module.
enum ClusteringKernels {
    /// A k-means solution: centres (`k × d`, row-major), assignment of each row, and the sum of
    /// squared distances to the assigned centres.
    struct Fit: Sendable {
        var centres: [Float]
        var assignments: [Int]
        var inertia: Double
    }

    /// A two-component PCA.
    struct PCA2: Sendable {
        var mean: [Double]
        /// Two unit components of length d.
        var components: [[Double]]
        var explainedVarianceRatio: [Double]

        /// Scores on the two components, `n × 2` row-major.
        func project(_ points: DenseMatrix) -> [Float] {
            let d = points.columnCount
            var out = [Float](repeating: 0, count: points.rowCount * 2)
            for r in 0 ..< points.rowCount {
                for (c, component) in components.enumerated() {
                    var s = 0.0
                    for j in 0 ..< d { s += (Double(points.values[r * d + j]) - mean[j]) * component[j] }
                    out[r * 2 + c] = Float(s)
                }
            }
            return out
        }
    }

    /// Euclidean distances of every row to every centre (`n × k`).
    static func distances(_ points: DenseMatrix, centres: [Float], clusterCount k: Int) -> [Float] {
        let d = points.columnCount
        let n = points.rowCount
        let values = points.values
        let parts = chunked(count: n) { rows -> [Float] in
            var out = [Float](repeating: 0, count: rows.count * k)
            for r in rows {
                for c in 0 ..< k {
                    var s: Float = 0
                    for j in 0 ..< d { let diff = values[r * d + j] - centres[c * d + j]; s += diff * diff }
                    out[(r - rows.lowerBound) * k + c] = s.squareRoot()
                }
            }
            return out
        }
        return parts.flatMap { $0 }
    }

    // MARK: k-means

    /// k-means: k-means++ seeding (Arthur & Vassilvitskii 2007) then Lloyd iterations until no
    /// assignment changes (at most `maxIterations`); the best of `restarts` seeded runs.
    static func kMeans(_ points: DenseMatrix, k: Int, restarts: Int, seed: UInt64, maxIterations: Int = 100) throws -> Fit {
        guard k >= 1, k <= points.rowCount else {
            throw ClusteringError.algorithm("k = \(k) needs between 1 and \(points.rowCount) clusters")
        }
        var best: Fit? = nil
        for restart in 0 ..< max(1, restarts) {
            var rng = SeededGenerator(seed: seed, stream: UInt64(restart))
            var centres = plusPlusSeeds(points, k: k, rng: &rng)
            var assignments = [Int](repeating: -1, count: points.rowCount)
            var inertia = Double.infinity
            for _ in 0 ..< maxIterations {
                let step = lloydStep(points, centres: centres, k: k, previous: assignments)
                assignments = step.assignments
                inertia = step.inertia
                centres = step.centres
                if step.changed == 0 { break }
            }
            if best == nil || inertia < best!.inertia {
                best = Fit(centres: centres, assignments: assignments, inertia: inertia)
            }
        }
        return best!
    }

    /// k-means++ seeding: each next centre drawn with probability proportional to D², the squared
    /// distance to the nearest centre chosen so far.
    static func plusPlusSeeds(_ points: DenseMatrix, k: Int, rng: inout SeededGenerator) -> [Float] {
        let n = points.rowCount, d = points.columnCount
        let values = points.values
        var centres = [Float]()
        centres.reserveCapacity(k * d)
        let first = rng.nextIndex(below: n)
        centres.append(contentsOf: values[first * d ..< (first + 1) * d])
        var nearest = [Double](repeating: .infinity, count: n)
        for c in 1 ..< max(1, k + 1) {
            let centre = Array(centres[(c - 1) * d ..< c * d])
            let updated = chunked(count: n) { rows -> [Double] in
                rows.map { r in
                    var s: Float = 0
                    for j in 0 ..< d { let diff = values[r * d + j] - centre[j]; s += diff * diff }
                    return Double(s)
                }
            }.flatMap { $0 }
            for r in 0 ..< n { nearest[r] = min(nearest[r], updated[r]) }
            if c == k { break }
            let total = nearest.reduce(0, +)
            var pick = 0
            if total > 0 {
                var target = rng.nextUnitDouble() * total
                pick = n - 1
                for r in 0 ..< n {
                    target -= nearest[r]
                    if target < 0 { pick = r; break }
                }
            } else {
                pick = rng.nextIndex(below: n)
            }
            centres.append(contentsOf: values[pick * d ..< (pick + 1) * d])
        }
        return centres
    }

    /// One Lloyd iteration: assign every row to its nearest centre, recompute the centres as means
    /// (an emptied cluster takes the row farthest from its centre).
    static func lloydStep(_ points: DenseMatrix, centres: [Float], k: Int, previous: [Int])
        -> (assignments: [Int], centres: [Float], inertia: Double, changed: Int) {
        let n = points.rowCount, d = points.columnCount
        let values = points.values
        struct Part: Sendable {
            var assignments: [Int]; var sums: [Double]; var counts: [Int]; var inertia: Double; var changed: Int
            var farthestRow: Int; var farthestDistance: Float
        }
        let parts = chunked(count: n) { rows -> Part in
            var part = Part(assignments: [], sums: [Double](repeating: 0, count: k * d), counts: [Int](repeating: 0, count: k),
                            inertia: 0, changed: 0, farthestRow: rows.lowerBound, farthestDistance: -1)
            part.assignments.reserveCapacity(rows.count)
            for r in rows {
                var bestC = 0
                var bestD = Float.infinity
                for c in 0 ..< k {
                    var s: Float = 0
                    for j in 0 ..< d { let diff = values[r * d + j] - centres[c * d + j]; s += diff * diff }
                    if s < bestD { bestD = s; bestC = c }
                }
                part.assignments.append(bestC)
                if previous[r] != bestC { part.changed += 1 }
                part.counts[bestC] += 1
                part.inertia += Double(bestD)
                for j in 0 ..< d { part.sums[bestC * d + j] += Double(values[r * d + j]) }
                if bestD > part.farthestDistance { part.farthestDistance = bestD; part.farthestRow = r }
            }
            return part
        }
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var assignments = [Int]()
        assignments.reserveCapacity(n)
        var inertia = 0.0, changed = 0
        var farthest = (row: 0, distance: Float(-1))
        for p in parts {
            assignments.append(contentsOf: p.assignments)
            for i in 0 ..< k * d { sums[i] += p.sums[i] }
            for c in 0 ..< k { counts[c] += p.counts[c] }
            inertia += p.inertia
            changed += p.changed
            if p.farthestDistance > farthest.distance { farthest = (p.farthestRow, p.farthestDistance) }
        }
        var newCentres = centres
        for c in 0 ..< k {
            if counts[c] > 0 {
                for j in 0 ..< d { newCentres[c * d + j] = Float(sums[c * d + j] / Double(counts[c])) }
            } else {
                for j in 0 ..< d { newCentres[c * d + j] = values[farthest.row * d + j] }
                changed += 1
            }
        }
        return (assignments, newCentres, inertia, changed)
    }

    // MARK: Silhouette

    /// Squared-free Euclidean distance matrix of a small sample (`n × n`), computed once and
    /// reused for the silhouette of every k.
    static func distanceMatrix(_ points: DenseMatrix) -> [Float] {
        let n = points.rowCount, d = points.columnCount
        let values = points.values
        return chunked(count: n) { rows -> [Float] in
            var out = [Float](repeating: 0, count: rows.count * n)
            for i in rows {
                for j in 0 ..< n {
                    var s: Float = 0
                    for t in 0 ..< d { let diff = values[i * d + t] - values[j * d + t]; s += diff * diff }
                    out[(i - rows.lowerBound) * n + j] = s.squareRoot()
                }
            }
            return out
        }.flatMap { $0 }
    }

    /// Mean silhouette (Rousseeuw 1987): s(i) = (b − a) / max(a, b) with a the mean distance to
    /// the own cluster and b the smallest mean distance to another cluster; 0 for singletons.
    static func silhouette(distances: [Float], assignments: [Int], clusterCount k: Int) -> Double {
        let n = assignments.count
        guard k >= 2, n >= 2 else { return 0 }
        var counted = [Int](repeating: 0, count: k)
        for a in assignments { counted[a] += 1 }
        let sizes = counted
        let scores = chunked(count: n) { rows -> Double in
            var total = 0.0
            var sums = [Double](repeating: 0, count: k)
            for i in rows {
                for c in 0 ..< k { sums[c] = 0 }
                for j in 0 ..< n { sums[assignments[j]] += Double(distances[i * n + j]) }
                let own = assignments[i]
                guard sizes[own] > 1 else { continue }
                let a = sums[own] / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0 ..< k where c != own && sizes[c] > 0 { b = min(b, sums[c] / Double(sizes[c])) }
                guard b.isFinite else { continue }
                let m = max(a, b)
                total += m > 0 ? (b - a) / m : 0
            }
            return total
        }
        return scores.reduce(0, +) / Double(n)
    }

    // MARK: Kneedle

    /// The knee of a decreasing convex curve by Kneedle (Satopää et al. 2011, offline, sensitivity
    /// `S`): normalise x and y to [0, 1], take the difference curve `(1 − x) − y` (the gap under the
    /// chord), and declare a local maximum of it a knee once the curve falls below
    /// `max − S · mean(Δx)` before the next local maximum. Returns nil when there is no knee.
    static func knee(ks: [Int], inertias: [Double], sensitivity: Double = 1) -> Int? {
        let n = ks.count
        guard n >= 3, let xMin = ks.min(), let xMax = ks.max(), xMax > xMin,
              let yMin = inertias.min(), let yMax = inertias.max(), yMax > yMin else { return nil }
        let x = ks.map { Double($0 - xMin) / Double(xMax - xMin) }
        let y = inertias.map { ($0 - yMin) / (yMax - yMin) }
        let diff = (0 ..< n).map { (1 - x[$0]) - y[$0] }
        let meanStep = (1 ..< n).reduce(0.0) { $0 + (x[$1] - x[$1 - 1]) } / Double(n - 1)
        var i = 1
        while i < n - 1 {
            if diff[i] > diff[i - 1] && diff[i] >= diff[i + 1] && diff[i] > 0 {
                let threshold = diff[i] - sensitivity * meanStep
                var j = i + 1
                while j < n {
                    if diff[j] < threshold { return ks[i] }
                    if j + 1 < n && diff[j] > diff[j - 1] && diff[j] >= diff[j + 1] { break }  // next local maximum
                    j += 1
                }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    // MARK: PCA

    /// The first two principal components of `points` (covariance eigenvectors by cyclic Jacobi rotations).
    static func pca2(_ points: DenseMatrix) throws -> PCA2 {
        let n = points.rowCount, d = points.columnCount
        guard n >= 2, d >= 2 else { throw ClusteringError.algorithm("PCA needs at least 2 rows and 2 columns, got \(n) × \(d)") }
        var mean = [Double](repeating: 0, count: d)
        for r in 0 ..< n { for j in 0 ..< d { mean[j] += Double(points.values[r * d + j]) } }
        for j in 0 ..< d { mean[j] /= Double(n) }
        let values = points.values
        let meanCopy = mean
        let partial = chunked(count: n) { rows -> [Double] in
            var cov = [Double](repeating: 0, count: d * d)
            var centred = [Double](repeating: 0, count: d)
            for r in rows {
                for j in 0 ..< d { centred[j] = Double(values[r * d + j]) - meanCopy[j] }
                for a in 0 ..< d { let ca = centred[a]; for b in a ..< d { cov[a * d + b] += ca * centred[b] } }
            }
            return cov
        }
        var cov = [Double](repeating: 0, count: d * d)
        for p in partial { for i in 0 ..< d * d { cov[i] += p[i] } }
        for a in 0 ..< d { for b in a ..< d { cov[a * d + b] /= Double(n - 1); cov[b * d + a] = cov[a * d + b] } }
        let (eigenvalues, eigenvectors) = jacobiEigen(cov, size: d)
        let order = (0 ..< d).sorted { eigenvalues[$0] > eigenvalues[$1] }
        let trace = eigenvalues.reduce(0) { $0 + max(0, $1) }
        let components = order.prefix(2).map { c in (0 ..< d).map { eigenvectors[$0 * d + c] } }
        let ratios = order.prefix(2).map { trace > 0 ? max(0, eigenvalues[$0]) / trace : 0 }
        return PCA2(mean: mean, components: components, explainedVarianceRatio: ratios)
    }

    /// Eigenvalues and eigenvectors (columns of a row-major `size × size` matrix) of a symmetric matrix.
    static func jacobiEigen(_ matrix: [Double], size d: Int) -> ([Double], [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: d * d)
        for i in 0 ..< d { v[i * d + i] = 1 }
        for _ in 0 ..< 100 {
            var off = 0.0
            for p in 0 ..< d { for q in (p + 1) ..< d { off += a[p * d + q] * a[p * d + q] } }
            if off < 1e-22 { break }
            for p in 0 ..< d {
                for q in (p + 1) ..< d where abs(a[p * d + q]) > 1e-300 {
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0 ..< d {
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0 ..< d {
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0 ..< d {
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0 ..< d).map { a[$0 * d + $0] }, v)
    }

    /// Rows split into chunks processed concurrently; per-chunk results in order.
    static func chunked<T: Sendable>(count: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let chunkCount = max(1, min(16, count / 2048))
        let bounds = (0 ... chunkCount).map { count * $0 / chunkCount }
        return featuresConcurrentMap(count: chunkCount) { body(bounds[$0] ..< bounds[$0 + 1]) }
    }
}
