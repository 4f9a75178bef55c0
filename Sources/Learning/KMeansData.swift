import Core

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
}
