import Core
import Foundation

/// Randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a CSR sparse matrix, deterministic by seed.
public struct TruncatedSVD: Sendable {
    public let componentCount: Int
    public let oversampleCount: Int
    public let powerIterationCount: Int
    public let seed: UInt64

    /// Singular values, largest first (after `fit`).
    public private(set) var singularValues: [Double] = []
    /// Right singular vectors, `componentCount × columnCount`, row-major; largest-|loading| of each positive.
    public private(set) var components: [Double] = []
    public private(set) var columnCount = 0

    public init(componentCount: Int, oversampleCount: Int = 10, powerIterationCount: Int = 4, seed: UInt64 = 0) throws {
        guard componentCount > 0 else { throw TruncatedSVDError.invalid("componentCount \(componentCount) must be > 0") }
        guard oversampleCount >= 0 else { throw TruncatedSVDError.invalid("oversampleCount \(oversampleCount) must be >= 0") }
        guard powerIterationCount >= 0 else {
            throw TruncatedSVDError.invalid("powerIterationCount \(powerIterationCount) must be >= 0")
        }
        self.componentCount = componentCount
        self.oversampleCount = oversampleCount
        self.powerIterationCount = powerIterationCount
        self.seed = seed
    }

    /// Fits on `matrix` and returns the row scores `U·diag(s)` (`rowCount × componentCount`, row-major).
    public mutating func fitTransform(_ matrix: SparseMatrix) throws -> DenseMatrix {
        let n = matrix.columnCount
        guard componentCount <= min(matrix.rowCount, n) else {
            throw TruncatedSVDError.invalid("componentCount \(componentCount) exceeds min(rows \(matrix.rowCount), columns \(n))")
        }
        let width = min(componentCount + oversampleCount, min(matrix.rowCount, n))
        var generator = SeededGenerator(seed: seed)
        var omega = [Double](repeating: 0, count: n * width)
        for index in omega.indices { omega[index] = gaussian(&generator) }
        // Subspace iteration, orthonormalised on the column side only (n × width, cheap): the row side
        // (users × width) is never orthonormalised column by column. With Y = A·Z, the orthonormal
        // basis Q = Y·T for T = V·Λ^-½ from YᵀY = VΛVᵀ, and Bᵀ = AᵀQ = (AᵀY)·T.
        var z = orthonormalizedColumns(omega, rows: n, width: width)
        for _ in 0 ..< powerIterationCount {
            z = orthonormalizedColumns(sparseTransposeTimesDense(matrix, sparseTimesDense(matrix, z, width), width), rows: n, width: width)
        }
        let y = sparseTimesDense(matrix, z, width)
        let bt = rowsTimesSmall(sparseTransposeTimesDense(matrix, y, width), rows: n, width: width,
                                orthonormalizingTransform(gramOfColumns(y, rows: matrix.rowCount, width: width), width: width))
        let (eigenvalues, eigenvectors) = symmetricEigen(gramOfColumns(bt, rows: n, width: width), size: width)  // B Bᵀ
        storeComponents(bt: bt, eigenvalues: eigenvalues, eigenvectors: eigenvectors, n: n, width: width)
        return try transform(matrix)
    }

    private mutating func storeComponents(bt: [Double], eigenvalues: [Double], eigenvectors: [Double], n: Int, width: Int) {
        let order = (0 ..< width).sorted { eigenvalues[$0] > eigenvalues[$1] }.prefix(componentCount)
        columnCount = n
        singularValues = order.map { max(0, eigenvalues[$0]).squareRoot() }
        components = [Double](repeating: 0, count: componentCount * n)
        for (k, e) in order.enumerated() {
            let s = singularValues[k]
            guard s > 0 else { continue }
            var largest = 0.0
            for j in 0 ..< n {
                var v = 0.0
                for a in 0 ..< width { v += bt[j * width + a] * eigenvectors[a * width + e] }
                v /= s
                components[k * n + j] = v
                if abs(v) > abs(largest) { largest = v }
            }
            if largest < 0 { for j in 0 ..< n { components[k * n + j] = -components[k * n + j] } }
        }
    }

    /// Row scores `A·Vᵀ` of `matrix` on the fitted components.
    public func transform(_ matrix: SparseMatrix) throws -> DenseMatrix {
        let k = componentCount, n = columnCount
        guard matrix.columnCount == n else {
            throw TruncatedSVDError.invalid("matrix has \(matrix.columnCount) columns, fitted on \(n)")
        }
        var transposed = [Double](repeating: 0, count: n * k)
        for c in 0 ..< k { for j in 0 ..< n { transposed[j * k + c] = components[c * n + j] } }
        let out = sparseTimesDense(matrix, transposed, k).map { Float($0) }
        return DenseMatrix(rowCount: matrix.rowCount, columnCount: k, values: out,
                           columnNames: (0 ..< k).map { "svd\($0)" })
    }
}

/// Bad parameters or shapes given to ``TruncatedSVD``.
public enum TruncatedSVDError: Error, Equatable { case invalid(String) }

private func gaussian(_ generator: inout SeededGenerator) -> Double {
    let u1 = Double.random(in: Double.ulpOfOne ..< 1, using: &generator)
    let u2 = Double.random(in: 0 ..< 1, using: &generator)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

/// `A · X` for dense `X` (`columnCount × width`, row-major), parallel over row chunks.
func sparseTimesDense(_ a: SparseMatrix, _ x: [Double], _ width: Int) -> [Double] {
    var out = [Double](repeating: 0, count: a.rowCount * width)
    out.withUnsafeMutableBufferPointer { buffer in
        let base = UncheckedSendableBox(buffer)
        x.withUnsafeBufferPointer { x in
            parallelForEachChunk(count: a.rowCount, chunkCount: defaultChunkCount(for: a.rowCount)) { _, range in
                for row in range {
                    let target = base.value.baseAddress! + row * width
                    for p in a.rowOffsets[row] ..< a.rowOffsets[row + 1] {
                        let source = x.baseAddress! + Int(a.columnIndices[p]) * width, value = Double(a.values[p])
                        for c in 0 ..< width { target[c] += value * source[c] }
                    }
                }
            }
        }
    }
    return out
}

/// `Aᵀ · Y` for dense `Y` (`rowCount × width`): one accumulator per row chunk, merged in chunk order
/// (chunks fixed by the row count, so the sums do not depend on the core count).
func sparseTransposeTimesDense(_ a: SparseMatrix, _ y: [Double], _ width: Int) -> [Double] {
    let partials = y.withUnsafeBufferPointer { y in
        parallelChunks(count: a.rowCount, chunkCount: coreIndependentChunkCount(rows: a.rowCount)) { range -> [Double] in
            var acc = [Double](repeating: 0, count: a.columnCount * width)
            acc.withUnsafeMutableBufferPointer { acc in
                for row in range {
                    let source = y.baseAddress! + row * width
                    for p in a.rowOffsets[row] ..< a.rowOffsets[row + 1] {
                        let target = acc.baseAddress! + Int(a.columnIndices[p]) * width, value = Double(a.values[p])
                        for c in 0 ..< width { target[c] += value * source[c] }
                    }
                }
            }
            return acc
        }
    }
    var total = partials[0]
    for part in partials.dropFirst() { for i in total.indices { total[i] += part[i] } }
    return total
}

/// Orthonormal columns spanning those of a row-major `rows × width` matrix, by the eigen-decomposition
/// of the Gram matrix `MᵀM = VΛVᵀ` and `M·V·Λ^-½` (directions with `λ ≤ 1e-12·λmax` dropped as zero
/// columns), done twice for accuracy ("CholeskyQR2" with an eigen-solver, robust to rank deficiency).
/// Both passes stream the rows once in parallel chunks, unlike column-by-column Gram–Schmidt.
func orthonormalizedColumns(_ input: [Double], rows: Int, width: Int) -> [Double] {
    var m = input
    for _ in 0 ..< 2 {
        m = rowsTimesSmall(m, rows: rows, width: width, orthonormalizingTransform(gramOfColumns(m, rows: rows, width: width), width: width))
    }
    return m
}

/// `T = V·Λ^-½` from the eigen-decomposition `G = VΛVᵀ` of a Gram matrix `G = MᵀM`, so that `M·T` has
/// orthonormal columns (directions with `λ ≤ 1e-12·λmax` become zero columns).
func orthonormalizingTransform(_ gram: [Double], width: Int) -> [Double] {
    let (eigenvalues, eigenvectors) = symmetricEigen(gram, size: width)
    let largest = eigenvalues.max() ?? 0
    var transform = [Double](repeating: 0, count: width * width)
    for c in 0 ..< width where eigenvalues[c] > 1e-12 * largest && eigenvalues[c] > 0 {
        let scale = 1 / eigenvalues[c].squareRoot()
        for a in 0 ..< width { transform[a * width + c] = eigenvectors[a * width + c] * scale }
    }
    return transform
}

/// `MᵀM` of a row-major `rows × width` matrix: one accumulator per row chunk, merged in chunk order.
func gramOfColumns(_ m: [Double], rows: Int, width: Int) -> [Double] {
    let partials = m.withUnsafeBufferPointer { m in
        parallelChunks(count: rows, chunkCount: coreIndependentChunkCount(rows: rows)) { range -> [Double] in
            var gram = [Double](repeating: 0, count: width * width)
            gram.withUnsafeMutableBufferPointer { gram in
                for r in range {
                    let row = m.baseAddress! + r * width
                    for a in 0 ..< width where row[a] != 0 {
                        let va = row[a], target = gram.baseAddress! + a * width
                        for b in a ..< width { target[b] += va * row[b] }
                    }
                }
            }
            return gram
        }
    }
    var total = partials[0]
    for part in partials.dropFirst() { for i in total.indices { total[i] += part[i] } }
    for a in 0 ..< width { for b in 0 ..< a { total[a * width + b] = total[b * width + a] } }
    return total
}

/// `M · T` for row-major `M` (`rows × width`) and `T` (`width × width`), rows in parallel.
func rowsTimesSmall(_ m: [Double], rows: Int, width: Int, _ t: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: rows * width)
    out.withUnsafeMutableBufferPointer { buffer in
        let target = UncheckedSendableBox(buffer)
        parallelForEachChunk(count: rows, chunkCount: coreIndependentChunkCount(rows: rows)) { _, range in
            for r in range {
                let base = r * width
                for a in 0 ..< width {
                    let va = m[base + a]
                    if va == 0 { continue }
                    for c in 0 ..< width { target.value[base + c] += va * t[a * width + c] }
                }
            }
        }
    }
    return out
}

/// Row chunks for a loop whose per-chunk sums are merged: fixed by the row count alone, so floating-point
/// results are the same on any number of cores.
func coreIndependentChunkCount(rows: Int) -> Int { max(1, min(16, rows / 2048)) }

/// Cyclic Jacobi eigen-decomposition of a symmetric `size × size` matrix: (eigenvalues, eigenvectors as columns).
public func symmetricEigen(_ input: [Double], size: Int) -> ([Double], [Double]) {
    var a = input
    var v = [Double](repeating: 0, count: size * size)
    for i in 0 ..< size { v[i * size + i] = 1 }
    for _ in 0 ..< 100 {
        var off = 0.0
        for i in 0 ..< size { for j in 0 ..< size where i != j { off += a[i * size + j] * a[i * size + j] } }
        if off < 1e-22 { break }
        for p in 0 ..< size { for q in (p + 1) ..< size {
            let apq = a[p * size + q]
            if abs(apq) < 1e-300 { continue }
            let theta = (a[q * size + q] - a[p * size + p]) / (2 * apq)
            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
            let c = 1 / (t * t + 1).squareRoot(), s = t * c
            for k in 0 ..< size {
                let akp = a[k * size + p], akq = a[k * size + q]
                a[k * size + p] = c * akp - s * akq; a[k * size + q] = s * akp + c * akq
            }
            for k in 0 ..< size {
                let apk = a[p * size + k], aqk = a[q * size + k]
                a[p * size + k] = c * apk - s * aqk; a[q * size + k] = s * apk + c * aqk
            }
            for k in 0 ..< size {
                let vkp = v[k * size + p], vkq = v[k * size + q]
                v[k * size + p] = c * vkp - s * vkq; v[k * size + q] = s * vkp + c * vkq
            }
        } }
    }
    return ((0 ..< size).map { a[$0 * size + $0] }, v)
}
