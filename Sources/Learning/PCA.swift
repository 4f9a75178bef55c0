import Core

/// A problem with PCA settings or data, naming the bad value.
public enum PCAError: Error, Equatable, CustomStringConvertible {
    case invalidComponentCount(requested: Int, columnCount: Int)
    case tooFewRows(Int)
    case nonFiniteFeature(row: Int, column: Int, value: Float)

    public var description: String {
        switch self {
        case .invalidComponentCount(let requested, let columns):
            return "PCA: componentCount must be in 1…\(columns), got \(requested)"
        case .tooFewRows(let rows): return "PCA: at least 2 rows are needed, got \(rows)"
        case .nonFiniteFeature(let row, let column, let value):
            return "PCA: feature at row \(row), column \(column) is \(value) (not finite); standardise to impute missing values"
        }
    }
}

/// Principal component analysis: eigen-decomposition of the sample covariance matrix
/// (Pearson 1901; Hotelling 1933) by cyclic Jacobi rotations, which is exact to rounding for
/// the symmetric d × d matrix. Components are sorted by variance, each signed so that its
/// largest-magnitude loading is positive (deterministic, like scikit-learn's sign flip).
public struct PCA: Sendable, Codable, Equatable {
    public var componentCount: Int
    public var columnCount: Int
    public var means: [Double]
    /// Row-major `componentCount × columnCount` unit vectors.
    public var components: [Double]
    /// Variance along each component (sample variance, divisor n − 1).
    public var explainedVariances: [Double]
    /// Share of the total variance along each component.
    public var explainedVarianceRatios: [Double]

    /// Fits `componentCount` components to the rows of `features` (finite values only).
    public init(fitting features: DenseMatrix, componentCount: Int = 2) throws(PCAError) {
        let d = features.columnCount, n = features.rowCount
        guard componentCount >= 1, componentCount <= d else {
            throw .invalidComponentCount(requested: componentCount, columnCount: d)
        }
        guard n >= 2 else { throw .tooFewRows(n) }
        if let bad = features.values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteFeature(row: bad / d, column: bad % d, value: features.values[bad])
        }
        let values = features.values
        // Means, then the centred cross-product matrix, both accumulated per row chunk.
        let sums = parallelChunks(count: n) { rows -> [Double] in
            var s = [Double](repeating: 0, count: d)
            for r in rows { for j in 0 ..< d { s[j] += Double(values[r * d + j]) } }
            return s
        }
        var means = [Double](repeating: 0, count: d)
        for s in sums { for j in 0 ..< d { means[j] += s[j] } }
        for j in 0 ..< d { means[j] /= Double(n) }
        let products = parallelChunks(count: n) { rows -> [Double] in
            var c = [Double](repeating: 0, count: d * d)
            var centred = [Double](repeating: 0, count: d)
            for r in rows {
                for j in 0 ..< d { centred[j] = Double(values[r * d + j]) - means[j] }
                for i in 0 ..< d {
                    let ci = centred[i]
                    for j in i ..< d { c[i * d + j] += ci * centred[j] }
                }
            }
            return c
        }
        var covariance = [Double](repeating: 0, count: d * d)
        for p in products { for i in 0 ..< d * d { covariance[i] += p[i] } }
        for i in 0 ..< d {
            for j in i ..< d {
                covariance[i * d + j] /= Double(n - 1)
                covariance[j * d + i] = covariance[i * d + j]
            }
        }
        let (eigenvalues, eigenvectors) = symmetricEigenDecomposition(covariance, dimension: d)
        let order = (0 ..< d).sorted { eigenvalues[$0] != eigenvalues[$1] ? eigenvalues[$0] > eigenvalues[$1] : $0 < $1 }
        let totalVariance = eigenvalues.reduce(0) { $0 + max($1, 0) }
        var components = [Double]()
        var variances = [Double]()
        for k in order.prefix(componentCount) {
            var vector = (0 ..< d).map { eigenvectors[$0 * d + k] }  // column k
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) } ?? 0
            if vector[largest] < 0 { vector = vector.map { -$0 } }
            components.append(contentsOf: vector)
            variances.append(max(eigenvalues[k], 0))
        }
        self.componentCount = componentCount
        self.columnCount = d
        self.means = means
        self.components = components
        self.explainedVariances = variances
        self.explainedVarianceRatios = variances.map { totalVariance > 0 ? $0 / totalVariance : 0 }
    }

    /// Component `k` as `columnCount` loadings.
    public func component(_ k: Int) -> [Double] {
        Array(components[k * columnCount ..< (k + 1) * columnCount])
    }

    /// Projects rows onto the components: `rowCount × componentCount` scores.
    public func transform(_ features: DenseMatrix) -> DenseMatrix {
        precondition(features.columnCount == columnCount,
                     "PCA: fitted on \(columnCount) columns, given \(features.columnCount)")
        let d = columnCount, m = componentCount
        let values = features.values, means = means, components = components
        let out = parallelChunks(count: features.rowCount) { rows -> [Float] in
            var chunk = [Float]()
            chunk.reserveCapacity(rows.count * m)
            for r in rows {
                for k in 0 ..< m {
                    var score = 0.0
                    for j in 0 ..< d { score += (Double(values[r * d + j]) - means[j]) * components[k * d + j] }
                    chunk.append(Float(score))
                }
            }
            return chunk
        }.flatMap { $0 }
        return DenseMatrix(rowCount: features.rowCount, columnCount: m, values: out,
                           columnNames: (1 ... m).map { "PC\($0)" })
    }
}

/// Eigenvalues and eigenvectors (columns of the returned row-major matrix) of a symmetric
/// matrix, by cyclic Jacobi rotations until the off-diagonal mass is negligible.
func symmetricEigenDecomposition(_ matrix: [Double], dimension n: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n { v[i * n + i] = 1 }
    let scale = max(a.reduce(0) { $0 + $1 * $1 }, Double.leastNormalMagnitude)
    for _ in 0 ..< 100 {
        var offDiagonal = 0.0
        for i in 0 ..< n { for j in (i + 1) ..< max(i + 1, n) { offDiagonal += a[i * n + j] * a[i * n + j] } }
        if offDiagonal <= 1e-30 * scale { break }
        for p in 0 ..< n {
            for q in (p + 1) ..< max(p + 1, n) {
                let apq = a[p * n + q]
                if abs(apq) < 1e-300 { continue }
                let app = a[p * n + p], aqq = a[q * n + q]
                // Rotation angle that zeroes a[p][q] (Golub & Van Loan, alg. 8.4.1).
                let theta = (aqq - app) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0 ..< n {
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0 ..< n {
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0 ..< n {
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    return ((0 ..< n).map { a[$0 * n + $0] }, v)
}
