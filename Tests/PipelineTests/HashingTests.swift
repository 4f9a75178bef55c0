import Core
import Foundation
import Testing
@testable import Pipeline

@Test func fnv1aMatchesPublishedValues() {
    #expect(stableHash("") == 0xcbf2_9ce4_8422_2325)
    #expect(stableHash("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(stableHash("foobar") == 0x8594_4171_f739_67e8)
}

@Test func splitMixMatchesReferenceSequence() {
    // SplitMix64 seeded with 0: the first output of the reference generator.
    #expect(splitMix64(0) == 0xe220_a839_7b1d_cdaf)
}

@Test func stepSeedsAreStableAndDistinct() {
    let eda = StepSeed.derive(globalSeed: 2017, stepName: "eda")
    #expect(eda == splitMix64(2017 ^ splitMix64(stableHash("eda"))))
    #expect(eda == StepSeed.derive(globalSeed: 2017, stepName: "eda"))
    #expect(eda != StepSeed.derive(globalSeed: 2018, stepName: "eda"))
    #expect(eda != StepSeed.derive(globalSeed: 2017, stepName: "models"))
    #expect(hexDigest(eda).count == 16)
}

@Test func fastHashDoesNotDependOnHowInputIsSplit() {
    var generator = UInt64(7)
    let bytes = (0 ..< 1000).map { _ -> UInt8 in generator = splitMix64(generator); return UInt8(truncatingIfNeeded: generator) }
    let whole = FastHasher.hash(Data(bytes))
    for splits in [[1], [31, 32, 33], [5, 100, 7, 400], [999]] {
        var hasher = FastHasher()
        var start = 0
        for size in splits where start < bytes.count {
            let end = min(bytes.count, start + size)
            hasher.update(Data(bytes[start ..< end]))
            start = end
        }
        hasher.update(Data(bytes[start...]))
        #expect(hasher.finalize() == whole, "splits \(splits)")
    }
}

@Test func fastHashSeparatesSimilarInputs() {
    let base = Data(repeating: 0x41, count: 64)
    var flipped = base; flipped[37] ^= 1
    var longer = base; longer.append(0)
    let hashes = Set([FastHasher.hash(base), FastHasher.hash(flipped), FastHasher.hash(longer),
                      FastHasher.hash(Data()), FastHasher.hash(Data([0])), FastHasher.hash(Data([0, 0]))])
    #expect(hashes.count == 6)
}

@Test func fileHashEqualsInMemoryHash() throws {
    let folder = try TemporaryFolder()
    var generator = UInt64(11)
    let bytes = (0 ..< 10_000_003).map { _ -> UInt8 in generator = splitMix64(generator); return UInt8(truncatingIfNeeded: generator) }
    let url = folder.file("data.bin")
    try Data(bytes).write(to: url)
    #expect(try FastHasher.hashFile(at: url) == FastHasher.hash(Data(bytes)))
}

@Test func fingerprintChangesWithEachComponentAndNothingElse() {
    let input = InputFileRecord(role: "train", path: "/a/train.json", byteCount: 10, hash: "00000000000000aa")
    func fingerprint(name: String = "eda", version: Int = 1, configuration: [String: String] = ["k": "3", "bins": "20"],
                     seed: UInt64 = 42, skipInvalid: Bool = false, inputs: [InputFileRecord]? = nil,
                     upstream: [String: String] = ["features": "abc@t1"]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try! encoder.encode(configuration), as: UTF8.self)
        return PipelineRunner.fingerprint(name: name, version: version, configuration: json, seed: seed,
                                   skipInvalid: skipInvalid, inputs: inputs ?? [input], upstream: upstream)
    }
    let base = fingerprint()
    #expect(base == fingerprint())
    #expect(base == fingerprint(configuration: ["bins": "20", "k": "3"]))
    var moved = input; moved.path = "/elsewhere/train.json"
    #expect(base == fingerprint(inputs: [moved]), "moving an identical file does not invalidate")
    var changed = input; changed.hash = "00000000000000ab"
    let variants = [
        fingerprint(name: "eda2"), fingerprint(version: 2), fingerprint(configuration: ["k": "4", "bins": "20"]),
        fingerprint(configuration: ["k": "3", "bins": "20", "extra": ""]), fingerprint(seed: 43),
        fingerprint(skipInvalid: true), fingerprint(inputs: [changed]), fingerprint(inputs: []),
        fingerprint(upstream: ["features": "abc@t2"]), fingerprint(upstream: [:]),
        fingerprint(configuration: ["k": "3=bins", "bins": ""]),
    ]
    for (index, variant) in variants.enumerated() {
        #expect(variant != base, "variant \(index)")
    }
    #expect(Set(variants).count == variants.count)
}

@Test func stepOptionsAreReadableWhenBuiltInCodeOrParsed() throws {
    let built = StepOptions(out: "/tmp/r", seed: 5)
    #expect(built.train == nil && built.out == "/tmp/r" && built.seed == 5 && built.usesBuiltinData)
    let parsed = try StepOptions.parse(["--train", "a.json", "--test", "b.json.gz", "--seed", "9"])
    #expect(parsed.train == "a.json" && parsed.test == "b.json.gz" && parsed.seed == 9 && !parsed.usesBuiltinData)
    #expect(throws: (any Error).self) { try StepOptions.parse(["--train", "a.json"]) }
    #expect(throws: (any Error).self) { try StepOptions.parse(["--builtin-size", "huge"]) }
}

@Test func runOptionsMapToRequests() throws {
    #expect(try RunOptions.parse([]).request.selection == .all)
    let only = try RunOptions.parse(["--only", "eda", "--only", "models", "--force"]).request
    #expect(only.selection == .only(["eda", "models"]) && only.force && only.refreshReport)
    #expect(try RunOptions.parse(["--from", "models"]).request.selection == .from("models"))
    #expect(throws: (any Error).self) { try RunOptions.parse(["--from", "models", "--only", "eda"]) }
}
