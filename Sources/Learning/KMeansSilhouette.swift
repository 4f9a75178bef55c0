import Core

/// Mean silhouette coefficient (Rousseeuw 1987) of a clustering, on a seeded sample of rows.
///
/// For row i with mean distance a(i) to the other members of its cluster and smallest mean
/// distance b(i) to another cluster's members, s(i) = (b − a) / max(a, b); rows alone in their
/// cluster score 0 (scikit-learn's convention). As scikit-learn's `silhouette_score(sample_size:)`,
/// the score is computed within the sample only: `O(m²·d)` for m sampled rows, parallel over rows.
/// Euclidean distance. Returns NaN when fewer than two clusters occur in the sample.
public func silhouetteScore(features: DenseMatrix, assignments: [Int], sampleSize: Int? = 4000,
                            seed: UInt64 = 0) throws(KMeansError) -> Double {
    guard assignments.count == features.rowCount else {
        throw .assignmentCountMismatch(rowCount: features.rowCount, assignmentCount: assignments.count)
    }
    if let size = sampleSize, size < 2 { throw .invalidSampleSize(size) }
    var rows = Array(0 ..< features.rowCount)
    if let size = sampleSize, size < features.rowCount {
        var generator = SeededGenerator(seed: seed)
        // Partial Fisher–Yates: the first `size` entries are a uniform sample without replacement.
        for i in 0 ..< size {
            let j = i + generator.nextIndex(below: rows.count - i)
            rows.swapAt(i, j)
        }
        rows = Array(rows[0 ..< size]).sorted()
    }
    let sample = features.rows(rows)
    let labels = rows.map { assignments[$0] }
    // Dense relabelling of the clusters present in the sample.
    let present = Array(Set(labels)).sorted()
    guard present.count >= 2 else { return .nan }
    var index = [Int: Int]()
    for (i, cluster) in present.enumerated() { index[cluster] = i }
    let compact = labels.map { index[$0]! }
    var sizes = [Int](repeating: 0, count: present.count)
    for c in compact { sizes[c] += 1 }
    let data = KMeansData(sample)
    let clusterTotal = present.count
    let m = sample.rowCount
    let scores = parallelChunks(count: m, chunkCount: min(m, 4 * ProcessInfoCores.activeCount)) { chunk -> Double in
        var total = 0.0
        var distanceSums = [Double](repeating: 0, count: clusterTotal)
        for i in chunk {
            for c in 0 ..< clusterTotal { distanceSums[c] = 0 }
            for j in 0 ..< m where j != i {
                distanceSums[compact[j]] += data.squaredDistance(row: i, toRow: j).squareRoot()
            }
            let own = compact[i]
            guard sizes[own] > 1 else { continue }  // singleton: s = 0
            let a = distanceSums[own] / Double(sizes[own] - 1)
            var b = Double.infinity
            for c in 0 ..< clusterTotal where c != own { b = min(b, distanceSums[c] / Double(sizes[c])) }
            let denominator = max(a, b)
            total += denominator > 0 ? (b - a) / denominator : 0
        }
        return total
    }
    return scores.reduce(0, +) / Double(m)
}
