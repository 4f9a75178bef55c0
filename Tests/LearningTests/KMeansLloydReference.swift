import Core
@testable import Learning

extension KMeansData {
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
}
