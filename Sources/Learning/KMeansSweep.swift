/// The result of `KMeans.sweep`: inertia per k and the elbow found by Kneedle.
public struct KMeansSweep: Sendable {
    public var clusterCounts: [Int]
    public var models: [KMeansModel]
    public var inertias: [Double] { models.map(\.inertia) }
    /// The k at the knee of the inertia curve, or nil when the curve has none.
    public var kneeClusterCount: Int? {
        kneeIndex(x: clusterCounts.map(Double.init), y: inertias).map { clusterCounts[$0] }
    }

    public init(clusterCounts: [Int], models: [KMeansModel]) {
        self.clusterCounts = clusterCounts
        self.models = models
    }
}

/// The knee of a decreasing, convex curve (an elbow), by Kneedle (Satopää, Albrecht, Irwin &
/// Raghavan 2011): normalise both axes to [0, 1] and take the point farthest below the chord from
/// the first to the last point, i.e. the maximum of the difference curve (1 − x̂) − ŷ.
/// Returns nil for fewer than three points or when no point lies below the chord.
public func kneeIndex(x: [Double], y: [Double]) -> Int? {
    precondition(x.count == y.count, "kneeIndex: \(x.count) x values but \(y.count) y values")
    guard x.count >= 3, let xMin = x.min(), let xMax = x.max(), let yMin = y.min(), let yMax = y.max(),
          xMax > xMin, yMax > yMin else { return nil }
    // Orient so that the curve runs from its highest to its lowest value.
    let decreasing = y.first! >= y.last!
    var bestIndex: Int?
    var bestDifference = 1e-12
    for i in x.indices {
        let xn = (x[i] - xMin) / (xMax - xMin)
        let yn = (y[i] - yMin) / (yMax - yMin)
        let chord = decreasing ? 1 - xn : xn
        let difference = chord - yn
        if difference > bestDifference { bestDifference = difference; bestIndex = i }
    }
    return bestIndex
}
