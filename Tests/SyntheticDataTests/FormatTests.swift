import Foundation
import SegmentData
import Testing
@testable import SyntheticData

/// The bytes on disk: competition format, key order, escaping, sample submission, determinism.
@Suite struct FormatTests {
    static let configuration = SyntheticConfiguration.small(trainUserCount: 3_000, testUserCount: 1_000)
    static let generator = SyntheticGenerator(configuration: configuration, seed: 11)

    @Test func trainFileHasTheExactLayout() throws {
        let bytes = Self.generator.jsonBytes(.train)
        let records = try #require(scanObjectOfStringObjects(bytes), "not an object of string objects without spaces")
        #expect(records.count == 3_000)
        #expect(records.map(\.key) == Self.generator.fileOrder(.train).map { "train-\($0)" })
        #expect(Set(records.map(\.key)).count == 3_000)
        #expect(records.allSatisfy { $0.fields == ["genres", "titles", "cities", "segment", "dow", "tod"] })
        #expect(Array(records.map(\.key).prefix(20)) != (1 ... 20).map { "train-\($0)" }, "keys should be scrambled")
    }

    @Test func testFileHasTheExactLayout() throws {
        let bytes = Self.generator.jsonBytes(.test)
        let records = try #require(scanObjectOfStringObjects(bytes))
        #expect(records.count == 1_000)
        #expect(records.allSatisfy { $0.fields == ["genres", "titles", "tod", "cities", "dow"] })
    }

    @Test func valuesDecodeBackToTheUsers() throws {
        let bytes = Self.generator.jsonBytes(.train)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: [String: String]])
        for user in Self.generator.users(.train) {
            let record = try #require(object[user.id])
            #expect(record["genres"] == user.genres.joined)
            #expect(record["titles"] == user.titles.joined)
            #expect(record["cities"] == user.cities.joined)
            #expect(record["tod"] == user.hours.joined)
            #expect(record["dow"] == user.days.joined)
            #expect(record["segment"] == (user.segment == .pos ? "pos" : "neg"))
        }
    }

    @Test func escapesFollowPythonsJSON() {
        #expect(String(decoding: JSONText.escaped("Ek \"Anokhi\" Kahani"), as: UTF8.self) == #"Ek \"Anokhi\" Kahani"#)
        #expect(String(decoding: JSONText.escaped("AC\\DC"), as: UTF8.self) == #"AC\\DC"#)
        #expect(String(decoding: JSONText.escaped("Caf\u{E9}"), as: UTF8.self) == #"Caf\u00e9"#)
        #expect(String(decoding: JSONText.escaped("\u{1F3CF}"), as: UTF8.self) == #"\ud83c\udfcf"#)
        #expect(String(decoding: JSONText.escaped("Star Plus "), as: UTF8.self) == "Star Plus ")
    }

    @Test func sampleSubmissionListsTestIdsInFileOrder() throws {
        let text = String(decoding: Self.generator.sampleSubmissionBytes(), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "ID,segment")
        #expect(lines.last == "")
        let rows = lines.dropFirst().dropLast()
        #expect(rows.map { String($0.split(separator: ",")[0]) } == Self.generator.fileOrder(.test).map { "test-\($0)" })
        for row in rows {
            let value = try #require(Double(String(row.split(separator: ",")[1])))
            #expect(value >= 0 && value < 1)
        }
    }

    @Test func pythonDictOrderReproducesTheRealSampleSubmission() {
        // First ids of the real sample_submission.csv (100,000 test ids inserted in order).
        let hashes = (1 ... 100_000).map { Python2DictOrder.hash("test-\($0)") }
        let order = Python2DictOrder.iterationOrder(hashes: hashes).prefix(12).map { $0 + 1 }
        #expect(order == [23855, 23854, 23857, 23856, 23851, 23850, 23853, 23852, 23859, 23858, 611, 9038])
        let fields = ["genres", "titles", "cities", "segment", "dow", "tod"]
        #expect(Python2DictOrder.iterationOrder(hashes: fields.map(Python2DictOrder.hash)).map { fields[$0] } == fields)
        #expect(Python2DictOrder.hash("") == 0)
    }

    @Test func smallDictOrderWithoutAllocationEqualsTheGeneralOne() {
        // The generator orders each field's entries with the scratch-buffer form; it must replay the
        // same table growth as the general form (the `dow` order of the real files is 1,3,2,5,4,7,6).
        var scratch = [Int32](), order = [Int]()
        let days = (1 ... 7).map { Python2DictOrder.hash(String($0)) }
        days.withUnsafeBufferPointer { Python2DictOrder.iterationOrder(hashes: $0, scratch: &scratch, order: &order) }
        #expect(order.map { $0 + 1 } == [1, 3, 2, 5, 4, 7, 6])
        for count in [1, 5, 6, 21, 22, 300, 2000] {
            let hashes = (0 ..< count).map { Python2DictOrder.hash("title \($0 * 7919)") }
            hashes.withUnsafeBufferPointer { Python2DictOrder.iterationOrder(hashes: $0, scratch: &scratch, order: &order) }
            #expect(order == Python2DictOrder.iterationOrder(hashes: hashes), "\(count) keys")
        }
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentBytes() {
        let configuration = SyntheticConfiguration.small(trainUserCount: 500, testUserCount: 200)
        let a = SyntheticGenerator(configuration: configuration, seed: 5)
        let b = SyntheticGenerator(configuration: configuration, seed: 5)
        let c = SyntheticGenerator(configuration: configuration, seed: 6)
        #expect(a.jsonBytes(.train) == b.jsonBytes(.train))
        #expect(a.jsonBytes(.test) == b.jsonBytes(.test))
        #expect(a.sampleSubmissionBytes() == b.sampleSubmissionBytes())
        #expect(a.jsonBytes(.train) != c.jsonBytes(.train))
        #expect(a.sampleSubmissionBytes() != c.sampleSubmissionBytes())
    }
}

/// Configuration validation and the on-disk cache.
@Suite struct BuiltinDatasetTests {
    @Test func invalidConfigurationsAreRejectedWithTheirName() {
        #expect(throws: SyntheticDataError.self) { try SyntheticConfiguration(trainUserCount: 0, testUserCount: 100) }
        do {
            _ = try SyntheticConfiguration(trainUserCount: 1000, testUserCount: 100, titleCount: 3)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("titleCount = 3"))
        }
        let bad = Data(#"{"trainUserCount":10,"testUserCount":5,"titleCount":12000,"cityCount":1380}"#.utf8)
        #expect(throws: SyntheticDataError.self) { try JSONDecoder().decode(SyntheticConfiguration.self, from: bad) }
    }

    @Test func configurationsRoundTripAndSmallIsValid() throws {
        let small = SyntheticConfiguration.small()
        try small.validate()
        try SyntheticConfiguration.fullScale.validate()
        #expect(small.trainUserCount == 4000 && small.testUserCount == 2000)
        let decoded = try JSONDecoder().decode(SyntheticConfiguration.self, from: try JSONEncoder().encode(small))
        #expect(decoded == small)
        #expect(SyntheticConfiguration.small(trainUserCount: -5).trainUserCount == SyntheticConfiguration.trainUserRange.lowerBound)
    }

    @Test func ensureWritesOnceAndReusesTheMarker() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("builtin")
        let configuration = SyntheticConfiguration.small(trainUserCount: 300, testUserCount: 100)
        let files = try BuiltinDataset.ensure(in: directory, configuration: configuration, seed: 3)
        let first = try Data(contentsOf: files.train)
        let stamp = try FileManager.default.attributesOfItem(atPath: files.train.path)[.modificationDate] as? Date
        #expect(first == Data(SyntheticGenerator(configuration: configuration, seed: 3).jsonBytes(.train)))
        #expect(FileManager.default.fileExists(atPath: files.sampleSubmission.path))
        #expect(FileManager.default.fileExists(atPath: files.test.path))

        Thread.sleep(forTimeInterval: 0.05)
        let again = try BuiltinDataset.ensure(in: directory, configuration: configuration, seed: 3)
        #expect(again == files)
        #expect(try FileManager.default.attributesOfItem(atPath: files.train.path)[.modificationDate] as? Date == stamp)

        _ = try BuiltinDataset.ensure(in: directory, configuration: configuration, seed: 4)
        #expect(try Data(contentsOf: files.train) != first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path)
        #expect(leftovers == ["builtin"], "temporary folders left: \(leftovers)")
    }
}
