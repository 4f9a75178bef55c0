import Core

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KMeansData {
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
}
