import Core
import Foundation

/// An error from gradient boosting: a bad parameter, bad training input, or an invalid saved model.
public enum GradientBoostingError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case invalidParameter(String)
    case invalidInput(String)
    case invalidModel(String)

    public var description: String {
        switch self {
        case .invalidParameter(let message): "invalid gradient boosting parameter: \(message)"
        case .invalidInput(let message): "invalid gradient boosting input: \(message)"
        case .invalidModel(let message): "invalid gradient boosting model: \(message)"
        }
    }

    public var errorDescription: String? { description }
}

/// Hyper-parameters of histogram gradient boosting, with LightGBM's meaning and defaults
/// (`num_leaves`, `max_depth`, `min_data_in_leaf`, `min_sum_hessian_in_leaf`, `lambda_l1`, `lambda_l2`,
/// `min_gain_to_split`, `learning_rate`, `num_iterations`, `feature_fraction`, `bagging_fraction`,
/// `bagging_freq`, `data_sample_strategy=goss` with `top_rate` / `other_rate`, `early_stopping_round`,
/// `max_bin`, `seed`, `num_threads`).
public struct GradientBoostingParameters: Sendable, Codable, Equatable {
    /// Maximum number of leaves per tree (leaf-wise growth), LightGBM `num_leaves`.
    public var leafCount: Int
    /// Maximum tree depth (root has depth 0, so a stump has depth 1); `nil` means unlimited.
    public var maxDepth: Int?
    /// Minimum number of training rows in a leaf.
    public var minDataInLeaf: Int
    /// Minimum sum of hessians in a leaf.
    public var minSumHessianInLeaf: Double
    /// L2 penalty on leaf values (added to the hessian sum).
    public var lambdaL2: Double
    /// L1 penalty on leaf values (soft-thresholds the gradient sum).
    public var lambdaL1: Double
    /// Minimum gain for a split to be made.
    public var minGainToSplit: Double
    /// Shrinkage applied to each tree's leaf values.
    public var learningRate: Double
    /// Number of boosting rounds (trees).
    public var roundCount: Int
    /// Fraction of features sampled (without replacement) for each tree.
    public var featureFraction: Double
    /// Fraction of rows sampled (without replacement) every `baggingFrequency` rounds.
    public var baggingFraction: Double
    /// Resample the bag every this many rounds; 0 disables bagging.
    public var baggingFrequency: Int
    /// Gradient-based one-side sampling of each tree's rows instead of bagging; nil (the default)
    /// uses bagging as set above. Encoded only when set, so models without it keep their JSON.
    public var gradientOneSideSampling: GradientOneSideSampling?
    /// Stop when the validation log-loss has not improved for this many rounds (needs a validation set).
    public var earlyStoppingRounds: Int?
    /// Maximum number of bins per feature for non-missing values (missing values get one more bin).
    public var maxBinCount: Int
    /// Seed for feature and row sampling and for binning subsamples.
    public var seed: UInt64
    /// Worker threads; `nil` uses every active core.
    public var threadCount: Int?

    public init(leafCount: Int = 31, maxDepth: Int? = nil, minDataInLeaf: Int = 20,
                minSumHessianInLeaf: Double = 1e-3, lambdaL2: Double = 0, lambdaL1: Double = 0,
                minGainToSplit: Double = 0, learningRate: Double = 0.1, roundCount: Int = 100,
                featureFraction: Double = 1.0, baggingFraction: Double = 1.0, baggingFrequency: Int = 0,
                gradientOneSideSampling: GradientOneSideSampling? = nil, earlyStoppingRounds: Int? = nil,
                maxBinCount: Int = 255, seed: UInt64 = 0,
                threadCount: Int? = nil) {
        self.leafCount = leafCount
        self.maxDepth = maxDepth
        self.minDataInLeaf = minDataInLeaf
        self.minSumHessianInLeaf = minSumHessianInLeaf
        self.lambdaL2 = lambdaL2
        self.lambdaL1 = lambdaL1
        self.minGainToSplit = minGainToSplit
        self.learningRate = learningRate
        self.roundCount = roundCount
        self.featureFraction = featureFraction
        self.baggingFraction = baggingFraction
        self.baggingFrequency = baggingFrequency
        self.gradientOneSideSampling = gradientOneSideSampling
        self.earlyStoppingRounds = earlyStoppingRounds
        self.maxBinCount = maxBinCount
        self.seed = seed
        self.threadCount = threadCount
    }

    /// Throws `GradientBoostingError.invalidParameter` naming the first bad value.
    public func validate() throws {
        func fail(_ message: String) throws -> Never { throw GradientBoostingError.invalidParameter(message) }
        if leafCount < 2 || leafCount > 131_072 { try fail("leafCount must be in [2, 131072], got \(leafCount)") }
        if let maxDepth, maxDepth < 1 { try fail("maxDepth must be at least 1 (or nil for unlimited), got \(maxDepth)") }
        if minDataInLeaf < 1 { try fail("minDataInLeaf must be at least 1, got \(minDataInLeaf)") }
        if !(minSumHessianInLeaf >= 0) || !minSumHessianInLeaf.isFinite {
            try fail("minSumHessianInLeaf must be finite and >= 0, got \(minSumHessianInLeaf)")
        }
        if !(lambdaL2 >= 0) || !lambdaL2.isFinite { try fail("lambdaL2 must be finite and >= 0, got \(lambdaL2)") }
        if !(lambdaL1 >= 0) || !lambdaL1.isFinite { try fail("lambdaL1 must be finite and >= 0, got \(lambdaL1)") }
        if !(minGainToSplit >= 0) || !minGainToSplit.isFinite {
            try fail("minGainToSplit must be finite and >= 0, got \(minGainToSplit)")
        }
        if !(learningRate > 0 && learningRate <= 1) { try fail("learningRate must be in (0, 1], got \(learningRate)") }
        if roundCount < 1 { try fail("roundCount must be at least 1, got \(roundCount)") }
        if !(featureFraction > 0 && featureFraction <= 1) {
            try fail("featureFraction must be in (0, 1], got \(featureFraction)")
        }
        if !(baggingFraction > 0 && baggingFraction <= 1) {
            try fail("baggingFraction must be in (0, 1], got \(baggingFraction)")
        }
        if baggingFrequency < 0 { try fail("baggingFrequency must be >= 0, got \(baggingFrequency)") }
        if let gradientOneSideSampling {
            try gradientOneSideSampling.validate()
            if baggingFrequency > 0 && baggingFraction < 1 {
                try fail("gradientOneSideSampling (topRate \(gradientOneSideSampling.topRate), otherRate "
                         + "\(gradientOneSideSampling.otherRate)) cannot be combined with bagging (baggingFraction "
                         + "\(baggingFraction), baggingFrequency \(baggingFrequency)); as in LightGBM, use one or the other")
            }
        }
        if let earlyStoppingRounds, earlyStoppingRounds < 1 {
            try fail("earlyStoppingRounds must be at least 1 (or nil to disable), got \(earlyStoppingRounds)")
        }
        if maxBinCount < 2 || maxBinCount > 255 { try fail("maxBinCount must be in [2, 255], got \(maxBinCount)") }
        if let threadCount, threadCount < 1 { try fail("threadCount must be at least 1 (or nil for all cores), got \(threadCount)") }
    }

    /// Threads actually used.
    var resolvedThreadCount: Int { max(1, threadCount ?? ProcessInfo.processInfo.activeProcessorCount) }
}

/// Gradient-based one-side sampling (GOSS; Ke et al., "LightGBM: A Highly Efficient Gradient Boosting
/// Decision Tree", NIPS 2017; LightGBM's `data_sample_strategy=goss`, `top_rate` a, `other_rate` b).
///
/// Rows with small gradients are already well fitted, so each tree after the first `⌊1 / learningRate⌋`
/// rounds (which use every row) is grown on the `⌊a·N⌋` rows with the largest `|g·h|` (LightGBM's
/// ranking) and a uniform random `⌊b·N⌋` of the other rows, whose gradients and hessians are multiplied
/// by `(N − ⌊a·N⌋) / ⌊b·N⌋ ≈ (1 − a) / b` for that tree, so that the sampled small-gradient rows stand
/// for all of them and every sum a split's gain is computed from stays an unbiased estimate of the
/// full-data sum. With a = 0.2, b = 0.1 a tree sees 30 % of the rows.
public struct GradientOneSideSampling: Sendable, Codable, Equatable {
    /// Share a of rows kept for their large `|g·h|`, in (0, 1].
    public var topRate: Double
    /// Share b of all rows drawn at random from the rest, in (0, 1]; `topRate + otherRate ≤ 1`.
    public var otherRate: Double

    /// LightGBM's defaults, a = 0.2 and b = 0.1 (valid by construction).
    public static let lightGBMDefaults = GradientOneSideSampling(validTopRate: 0.2, otherRate: 0.1)

    private init(validTopRate: Double, otherRate: Double) { (topRate, self.otherRate) = (validTopRate, otherRate) }

    /// Throws `GradientBoostingError.invalidParameter` naming a bad rate.
    public init(topRate: Double = 0.2, otherRate: Double = 0.1) throws {
        self.topRate = topRate
        self.otherRate = otherRate
        try validate()
    }

    /// Throws `GradientBoostingError.invalidParameter` naming the first bad rate.
    public func validate() throws {
        func fail(_ message: String) throws -> Never { throw GradientBoostingError.invalidParameter(message) }
        if !(topRate > 0 && topRate <= 1) { try fail("GOSS topRate must be in (0, 1], got \(topRate)") }
        if !(otherRate > 0 && otherRate <= 1) { try fail("GOSS otherRate must be in (0, 1], got \(otherRate)") }
        if !(topRate + otherRate <= 1) {
            try fail("GOSS topRate + otherRate must be at most 1, got \(topRate) + \(otherRate) = \(topRate + otherRate)")
        }
    }
}

/// Row and feature sampling for boosting, on the shared seeded generator.
extension SplitMix64 {
    /// `count` distinct indices from `0 ..< population`, ascending, in one pass (selection sampling,
    /// Knuth's Algorithm S, as LightGBM's bagging): row `i` is kept with probability
    /// `still needed / still left`, so exactly `count` rows are drawn, uniformly over subsets.
    mutating func sampleSequentially(_ count: Int, from population: Int) -> [Int32] {
        if count >= population { return (0 ..< population).map { Int32($0) } }
        var result = [Int32]()
        result.reserveCapacity(count)
        var needed = count
        for i in 0 ..< population where needed > 0 {
            let left = population - i
            // Uniform in [0, left); kept when below `needed`.
            if nextUnitDouble() * Double(left) < Double(needed) {
                result.append(Int32(i))
                needed -= 1
            }
        }
        return result
    }

    /// `count` distinct indices from `0 ..< population`, sorted ascending (partial Fisher–Yates).
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        if count >= population { return Array(0 ..< population) }
        var pool = Array(0 ..< population)
        for i in 0 ..< count {
            let j = i + Int(next() % UInt64(population - i))
            pool.swapAt(i, j)
        }
        return pool[0 ..< count].sorted()
    }
}

/// A pointer that may cross into `concurrentPerform` workers; each worker touches a disjoint region.
struct BoostingSharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}
