/// How calibration bins are laid out over the predicted probabilities.
public enum CalibrationBinning: String, Sendable, Equatable, CaseIterable {
    /// Equal-width bins over `[0, 1]` (empty bins are omitted).
    case uniform
    /// Equal-count bins: rows sorted by prediction and cut into `binCount` runs of (nearly) equal size.
    case quantile
}

/// One bin of a reliability diagram: mean predicted probability against the observed positive rate.
public struct CalibrationBin: Sendable, Equatable {
    /// Smallest and largest prediction in the bin (uniform bins: the bin's edges).
    public var lowerEdge: Double
    public var upperEdge: Double
    public var meanPredicted: Double
    public var observedRate: Double
    public var count: Int
    public var positiveCount: Int

    public init(lowerEdge: Double, upperEdge: Double, meanPredicted: Double, observedRate: Double,
                count: Int, positiveCount: Int) {
        self.lowerEdge = lowerEdge
        self.upperEdge = upperEdge
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
        self.count = count
        self.positiveCount = positiveCount
    }
}

/// Reliability-diagram bins of `probabilities` against 0/1 `labels` (scikit-learn's
/// `calibration_curve`, with counts). Bins without rows are left out.
public func calibrationBins(probabilities: [Double], labels: [UInt8], binCount: Int = 10,
                            binning: CalibrationBinning = .quantile) -> [CalibrationBin] {
    precondition(probabilities.count == labels.count,
                 "calibrationBins: \(probabilities.count) probabilities but \(labels.count) labels")
    precondition(binCount >= 1, "calibrationBins: binCount must be at least 1, got \(binCount)")
    let n = probabilities.count
    guard n > 0 else { return [] }
    var bins = [CalibrationBin]()
    switch binning {
    case .uniform:
        var sums = [Double](repeating: 0, count: binCount)
        var counts = [Int](repeating: 0, count: binCount)
        var positives = [Int](repeating: 0, count: binCount)
        for i in 0 ..< n {
            let p = probabilities[i]
            let b = p.isNaN ? 0 : min(max(Int(p * Double(binCount)), 0), binCount - 1)
            sums[b] += p
            counts[b] += 1
            if labels[i] != 0 { positives[b] += 1 }
        }
        for b in 0 ..< binCount where counts[b] > 0 {
            bins.append(CalibrationBin(
                lowerEdge: Double(b) / Double(binCount), upperEdge: Double(b + 1) / Double(binCount),
                meanPredicted: sums[b] / Double(counts[b]),
                observedRate: Double(positives[b]) / Double(counts[b]),
                count: counts[b], positiveCount: positives[b]))
        }
    case .quantile:
        let order = (0 ..< n).sorted {
            probabilities[$0] != probabilities[$1] ? probabilities[$0] < probabilities[$1] : $0 < $1
        }
        for b in 0 ..< binCount {
            let start = b * n / binCount, end = (b + 1) * n / binCount
            guard end > start else { continue }
            var sum = 0.0, positiveCount = 0
            for k in start ..< end {
                sum += probabilities[order[k]]
                if labels[order[k]] != 0 { positiveCount += 1 }
            }
            let count = end - start
            bins.append(CalibrationBin(
                lowerEdge: probabilities[order[start]], upperEdge: probabilities[order[end - 1]],
                meanPredicted: sum / Double(count), observedRate: Double(positiveCount) / Double(count),
                count: count, positiveCount: positiveCount))
        }
    }
    return bins
}

/// Expected calibration error: the count-weighted mean of |mean predicted − observed rate| over bins.
public func expectedCalibrationError(_ bins: [CalibrationBin]) -> Double {
    let total = bins.reduce(0) { $0 + $1.count }
    guard total > 0 else { return .nan }
    return bins.reduce(0.0) { $0 + Double($1.count) * abs($1.meanPredicted - $1.observedRate) } / Double(total)
}
