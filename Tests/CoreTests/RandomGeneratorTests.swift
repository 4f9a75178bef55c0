import Core
import Foundation
import Testing

// Pinned outputs measured from the generators before they moved into Core (Learning's
// SeededGenerator and SplitMix64, SyntheticData's SeededRandomGenerator and SplitMix64.mix,
// Pipeline's splitMix64): moving them must not change one bit.

@Test func seededGeneratorMatchesPinnedOutputs() {
    var generator = SeededGenerator(seed: 2017)
    #expect([generator.next(), generator.next(), generator.next()]
            == [0x6615_bfc1_9374_eba8, 0x2d23_d49f_e7db_2de4, 0x5182_a18c_ef74_28c0])
    var stream = SeededGenerator(seed: 42, stream: 3)
    #expect([stream.next(), stream.next()] == [0xefbd_e50f_c44e_4b4e, 0x4a2d_f451_b780_9365])
}

@Test func splitMix64MatchesVignasReferenceSequence() {
    var generator = SplitMix64(seed: 0)
    #expect([generator.next(), generator.next(), generator.next()]
            == [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f])
    #expect(SplitMix64.mix(1, 2, 3) == 0x6d0a_43c4_c77d_9e4b)
}

@Test func splitMix64FunctionIsTheGeneratorsOutput() {
    for seed: UInt64 in [0, 1, 2017, 0xDEAD_BEEF, .max] {
        var generator = SplitMix64(seed: seed)
        #expect(splitMix64(seed) == generator.next())
        #expect(splitMix64(seed) == splitMix64Finalizer(seed &+ splitMix64Increment))
    }
    #expect(splitMix64(0) == 0xe220_a839_7b1d_cdaf)
}

/// xoshiro256** written out as in Blackman & Vigna's reference `next()`, the slow way.
private func referenceXoshiro(seed: UInt64, count: Int) -> [UInt64] {
    var mixer = SplitMix64(seed: seed)
    var s = [mixer.next(), mixer.next(), mixer.next(), mixer.next()]
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    return (0 ..< count).map { _ in
        let result = rotl(s[1] &* 5, 7) &* 9
        let t = s[1] << 17
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result
    }
}

@Test(arguments: [0, 1, 2017, 123_456_789] as [UInt64])
func seededGeneratorAgreesWithTheReferenceXoshiro(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    #expect((0 ..< 1000).map { _ in generator.next() } == referenceXoshiro(seed: seed, count: 1000))
}

@Test func drawsStayInRangeAndShuffleIsAPermutation() {
    var generator = SeededGenerator(seed: 7)
    let indices = (0 ..< 10_000).map { _ in generator.nextIndex(below: 7) }
    #expect(indices.allSatisfy { (0 ..< 7).contains($0) })
    #expect(Set(indices).count == 7)
    let units = (0 ..< 10_000).map { _ in generator.nextUnitDouble() }
    #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(abs(units.reduce(0, +) / 10_000 - 0.5) < 0.02)
    var values = Array(0 ..< 50)
    generator.shuffle(&values)
    #expect(values != Array(0 ..< 50))
    #expect(values.sorted() == Array(0 ..< 50))
}

@Test func sameSeedSameSequence() {
    var a = SeededGenerator(seed: 99, stream: 4), b = SeededGenerator(seed: 99, stream: 4)
    var c = SeededGenerator(seed: 99, stream: 5)
    let first = (0 ..< 100).map { _ in a.nextGaussian() }
    #expect(first == (0 ..< 100).map { _ in b.nextGaussian() })
    #expect(first != (0 ..< 100).map { _ in c.nextGaussian() })
}
