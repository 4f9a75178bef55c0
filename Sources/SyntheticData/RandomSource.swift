import Core
import Foundation

/// xoshiro256** seeded through SplitMix64 (Core's ``SeededGenerator``, the same sequence): the generator
/// behind every random draw here, with the synthetic data's own draw helpers (which differ from
/// `SeededGenerator`'s and must stay bit-identical, or the built-in data set changes).
public struct SeededRandomGenerator: RandomNumberGenerator, Sendable {
    private var base: SeededGenerator

    public init(seed: UInt64) {
        base = SeededGenerator(seed: seed)
    }

    /// An independent stream for (`seed`, `stream`, `index`).
    init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
        self.init(seed: SplitMix64.mix(seed, stream, index))
    }

    @inline(__always)
    public mutating func next() -> UInt64 { base.next() }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in (0, 1): safe for logarithms.
    mutating func openUniform() -> Double { (Double(next() >> 12) + 0.5) * 0x1.0p-52 }

    /// Uniform integer in `0 ..< bound` (Lemire's multiply-shift; bias below 2^-32 for our bounds).
    mutating func index(below bound: Int) -> Int {
        Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    mutating func bernoulli(_ probability: Double) -> Bool { uniform() < probability }

    /// Standard normal (Box–Muller, one value per call).
    mutating func normal() -> Double {
        let radius = (-2 * log(openUniform())).squareRoot()
        return radius * cos(2 * Double.pi * uniform())
    }

    /// Gamma(shape, 1) (Marsaglia & Tsang 2000; shape < 1 by the boost U^(1/shape)).
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1) * pow(openUniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = openUniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Poisson(mean) (inversion for small means, normal approximation above 40).
    mutating func poisson(mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 40 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = exp(-mean)
        var product = uniform()
        var count = 0
        while product > limit {
            product *= uniform()
            count += 1
        }
        return count
    }

    /// Negative binomial with the given mean and shape (a gamma–Poisson mixture; smaller shape = more spread).
    mutating func negativeBinomial(mean: Double, shape: Double) -> Int {
        poisson(mean: gamma(shape: shape) * mean / shape)
    }

    /// An index drawn from cumulative weights (`cumulative.last` is the total).
    mutating func index(cumulative: UnsafeBufferPointer<Double>) -> Int {
        let target = uniform() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) >> 1
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    mutating func index(cumulative: [Double]) -> Int {
        cumulative.withUnsafeBufferPointer { index(cumulative: $0) }
    }
}

/// The standard normal distribution function Φ.
func standardNormalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
