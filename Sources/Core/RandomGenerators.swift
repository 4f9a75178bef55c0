#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The one home of the package's random generators and 64-bit mixers. Every module that needs a
// seeded draw or a bijective hash finaliser uses these, so the same seed gives the same sequence
// everywhere. Small functions are `@inlinable` so that calls from other modules stay as fast as
// calls inside this one.

/// The SplitMix64 increment, the golden ratio in 64 bits (`⌊2⁶⁴/φ⌉`, odd).
public let splitMix64Increment: UInt64 = 0x9E37_79B9_7F4A_7C15

/// The SplitMix64 finaliser alone (Stafford's "Mix13" variant): a bijective 64-bit mix with no
/// increment, for hash functions that fold their own input (e.g. a byte-string hash's last step).
@inlinable @inline(__always)
public func splitMix64Finalizer(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// The SplitMix64 output function (Steele, Lea & Flood 2014): `value` advanced by the golden-ratio
/// increment, then finalised; equal to the first output of `SplitMix64(seed: value)`.
@inlinable @inline(__always)
public func splitMix64(_ value: UInt64) -> UInt64 {
    splitMix64Finalizer(value &+ splitMix64Increment)
}

/// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit word of state advanced by the golden-ratio
/// increment `0x9E3779B97F4A7C15`, each output a bijective mix of it. It seeds ``SeededGenerator``,
/// drives gradient boosting's row and feature sampling, and makes deterministic test data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state; settable so that a caller can fold words into it (``mix(_:)``).
    public var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= splitMix64Increment
        return splitMix64Finalizer(state)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller, one of the pair).
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnitDouble(), Double.leastNonzeroMagnitude)
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// One well-mixed value from several words (stream derivation): each word, multiplied by an odd
    /// constant, is xored into the state of a generator with a fixed seed, which then advances once.
    public static func mix(_ words: UInt64...) -> UInt64 {
        var mixer = SplitMix64(seed: 0x5EED_0F_5E6_3E47)
        var value: UInt64 = 0
        for word in words {
            mixer.state ^= word &* 0xD6E8_FEB8_6659_FD93
            value = mixer.next()
        }
        return value
    }
}

/// A small, fast, seeded random number generator: xoshiro256** (Blackman & Vigna 2018), its
/// state filled from the seed by SplitMix64. Same seed, same sequence, on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    @inlinable
    public init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        state = (mix.next(), mix.next(), mix.next(), mix.next())
    }

    /// A generator for sub-task `stream` of this seed (e.g. one per k-means start or fold),
    /// independent of how many numbers other streams draw.
    @inlinable
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotateLeft(state.3, 45)
        return result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in `0 ..< bound` without modulo bias (Lemire's method).
    @inlinable
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "SeededGenerator.nextIndex: bound must be positive, got \(bound)")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A standard normal draw (Box–Muller).
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnitDouble(), Double.leastNonzeroMagnitude)
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle of `values` in place, driven only by this generator.
    @inlinable
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = nextIndex(below: i + 1)
            values.swapAt(i, j)
        }
    }

    @inlinable @inline(__always)
    static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
