import Core

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KMeansData {
    /// Lloyd's algorithm accelerated with Hamerly's bounds: per row an upper bound on the distance to
    /// its centre and a lower bound on the distance to every other centre. A row is skipped while
    /// upper ≤ max(lower, ½ · distance from its centre to the nearest other centre). Centre sums are
    /// kept up to date from the rows that change cluster (per-chunk deltas), so a late iteration
    /// costs O(n) plus the few rows near a boundary.
    func hamerly(centres start: [Double], maxIterationCount: Int, absoluteTolerance: Double) -> KMeansModel {
        let k = start.count / columnCount
        let n = rowCount
        var centres = start
        var assignments = [Int](repeating: 0, count: n)
        var upper = [Double](repeating: .infinity, count: n)
        var lower = [Double](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: k * columnCount)
        var counts = [Int](repeating: 0, count: k)
        var iteration = 0
        var firstPass = true
        while iteration < maxIterationCount {
            iteration += 1
            let deltas = hamerlyAssignmentPass(centres: centres, halfGaps: halfGapsToNearestOtherCentre(centres),
                                               initial: firstPass, assignments: &assignments, upper: &upper, lower: &lower)
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
            let (moves, shift) = moveCentresToMeans(&centres, sums: sums, counts: counts)
            Self.loosenBounds(upper: &upper, lower: &lower, assignments: assignments, moves: moves)
            if shift <= absoluteTolerance { break }
        }
        return finalModel(centres: centres, iterationCount: iteration)
    }

    /// ½ · distance from each centre to the nearest other centre (infinity for one centre).
    private func halfGapsToNearestOtherCentre(_ centres: [Double]) -> [Double] {
        let width = columnCount, k = centres.count / columnCount
        var halfGaps = [Double](repeating: 0, count: k)
        for c in 0 ..< k {
            var nearest = Double.infinity
            for other in 0 ..< k where other != c {
                var d = 0.0
                for j in 0 ..< width { let x = centres[c * width + j] - centres[other * width + j]; d += x * x }
                nearest = min(nearest, d)
            }
            halfGaps[c] = k > 1 ? nearest.squareRoot() / 2 : .infinity
        }
        return halfGaps
    }

    /// One Hamerly assignment pass over all rows (in parallel chunks): rows whose bounds prove their
    /// centre is still nearest are skipped; the others are reassigned. Returns per-chunk changes to
    /// the centre sums and counts (on the first pass: the full sums and counts).
    private func hamerlyAssignmentPass(centres: [Double], halfGaps gaps: [Double], initial: Bool,
                                       assignments: inout [Int], upper: inout [Double], lower: inout [Double])
        -> [(sums: [Double], counts: [Int], changed: Int)] {
        let k = centres.count / columnCount, width = columnCount, blocks = blockCount
        let current = paddedCentres(centres)
        return assignments.withUnsafeMutableBufferPointer { a in
            upper.withUnsafeMutableBufferPointer { u in
                lower.withUnsafeMutableBufferPointer { l in
                    padded.withUnsafeBytes { p in
                        current.withUnsafeBytes { cen in
                            values.withUnsafeBufferPointer { v in
                            parallelChunks(count: rowCount) { rows -> (sums: [Double], counts: [Int], changed: Int) in
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
    }

    /// Moves each non-empty centre to the mean of its rows; returns how far each moved and the
    /// total squared shift.
    private func moveCentresToMeans(_ centres: inout [Double], sums: [Double], counts: [Int]) -> (moves: [Double], shift: Double) {
        let width = columnCount, k = counts.count
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
        return (moves, shift)
    }

    /// Loosens the bounds by how far the centres moved: a row's upper bound by its centre's move,
    /// its lower bound by the largest move of any other centre.
    private static func loosenBounds(upper: inout [Double], lower: inout [Double], assignments: [Int], moves: [Double]) {
        var largest = 0, largestMove = 0.0, secondMove = 0.0
        for c in moves.indices {
            if moves[c] > largestMove { secondMove = largestMove; largestMove = moves[c]; largest = c }
            else if moves[c] > secondMove { secondMove = moves[c] }
        }
        for r in assignments.indices {
            let a = assignments[r]
            upper[r] += moves[a]
            lower[r] -= a == largest ? secondMove : largestMove
        }
    }

    /// Assignment and inertia of every row against the final centres (as scikit-learn).
    func finalModel(centres: [Double], iterationCount: Int) -> KMeansModel {
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
    func relocateEmptyClusters(counts: inout [Int], sums: inout [Double], assignments: inout [Int],
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
