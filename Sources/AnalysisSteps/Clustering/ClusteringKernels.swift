import Dispatch
import Foundation
import Learning

/// A two-component PCA for the clustering scatter (k-means, the silhouette and Kneedle come
/// from the `Learning` module).
enum ClusteringKernels {
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
