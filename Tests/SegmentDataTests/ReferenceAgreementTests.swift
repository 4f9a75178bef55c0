import Core
import Foundation
import Testing
@testable import SegmentData

/// Writes a random competition-style file with messy names, random escapes, key order and whitespace.
struct MessyFileWriter {
    var random: SplitMix64
    static let pieces: [String] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789").map(String.init)
        + [" ", " ", " ", ":", ":", ",", ",", "|", "!", "*", "'", "+", "_", "-", "/", "\"", "\\", "é", "ß", "😀", "न", "म", "\t", "€", "\u{7F}"]

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0 ..< 1, using: &random) < probability }

    /// A non-empty name; titles may hold commas, but no comma piece but the last may end in `:seconds`.
    mutating func name(commas: Bool) -> String {
        while true {
            let length = Int.random(in: 1 ... 24, using: &random)
            var text = ""
            for _ in 0 ..< length { text += Self.pieces.randomElement(using: &random)! }
            if !commas { text = text.replacingOccurrences(of: ",", with: ";") }
            let parts = Array(text.utf8).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            let ambiguous = parts.dropLast().contains { part in
                guard let colon = part.lastIndex(of: UInt8(ascii: ":")) else { return false }
                return ReferenceParser.looksLikeSeconds(part[(colon + 1)...])
            }
            if !ambiguous { return text }
        }
    }

    mutating func seconds() -> Int32 {
        switch Int.random(in: 0 ..< 10, using: &random) {
        case 0: 0
        case 1: Int32.max - Int32.random(in: 0 ... 3, using: &random)
        default: Int32.random(in: 1 ... 90_000, using: &random)
        }
    }

    mutating func whitespace() -> String {
        ["", "", " ", "\n", "\t", "\r\n  ", "  "].randomElement(using: &random)!
    }

    /// JSON string literal with random (but valid) escapes.
    mutating func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += chance(0.5) ? "\\t" : "\\u0009"
            case "/": out += chance(0.3) ? "\\/" : "/"
            default:
                if scalar.value < 0x20 || chance(0.03) {
                    out += Self.unicodeEscape(scalar, uppercase: chance(0.5))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func unicodeEscape(_ scalar: Unicode.Scalar, uppercase: Bool) -> String {
        func hex(_ unit: UInt16) -> String {
            let digits = String(unit, radix: 16, uppercase: uppercase)
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        return String(scalar).utf16.map(hex).joined()
    }

    /// The file's text and its user ids in file order.
    mutating func makeFile(userCount: Int, labelled: Bool) -> (text: String, ids: [String]) {
        let titlePool = (0 ..< 300).map { _ in name(commas: true) }
        let genrePool = (0 ..< 20).map { _ in name(commas: false) }
        let cityPool = (0 ..< 50).map { _ in name(commas: false) }
        var ids = Array(1 ... userCount).map { (labelled ? "train-" : "test-") + String($0) }
        ids.shuffle(using: &random)
        var text = whitespace() + "{"
        for (number, id) in ids.enumerated() {
            func list(_ pool: [String], _ range: ClosedRange<Int>) -> String {
                (0 ..< Int.random(in: range, using: &random)).map { _ in
                    pool.randomElement(using: &random)! + ":" + String(seconds())
                }.joined(separator: ",")
            }
            func dense(_ names: ClosedRange<Int>) -> String {
                Array(names).shuffled(using: &random).prefix(Int.random(in: 0 ... names.count, using: &random))
                    .map { "\($0):\(seconds())" }.joined(separator: ",")
            }
            var fields = [("genres", list(genrePool, 1 ... 4)), ("titles", list(titlePool, 0 ... 15)),
                          ("cities", list(cityPool, 1 ... 3)), ("dow", dense(1 ... 7)), ("tod", dense(0 ... 23))]
            if labelled { fields.append(("segment", chance(0.08) ? "pos" : "neg")) }
            fields.shuffle(using: &random)
            let members = fields.map { key, value in
                whitespace() + literal(key) + whitespace() + ":" + whitespace() + literal(value) + whitespace()
            }
            text += (number > 0 ? "," : "") + whitespace() + literal(id) + whitespace() + ":" + whitespace()
                + "{" + members.joined(separator: ",") + "}" + whitespace()
        }
        return (text + "}" + whitespace(), ids)
    }
}

@Suite("Fast loader against a slow reference")
struct ReferenceAgreementTests {
    @Test(arguments: [(UInt64(1), true), (UInt64(2), false)])
    func randomMessyFileAgreesWithJSONSerialization(seed: UInt64, labelled: Bool) throws {
        var writer = MessyFileWriter(random: SplitMix64(seed: seed))
        let (text, ids) = writer.makeFile(userCount: 1_500, labelled: labelled)
        let bytes = Array(text.utf8)
        let parsed = try WatchDataLoader.parseFile(bytes: bytes, fileName: "messy.json", labelled: labelled)
        let records = try ReferenceParser.records(bytes)
        #expect(parsed.table.ids == ids)
        #expect(records.count == ids.count)
        // The file really exercises escapes, surrogate pairs and commas inside titles.
        #expect(text.contains("\\u") && text.contains("\\\"") && text.contains("\\ud83d"))
        #expect(parsed.titles.names.contains { $0.contains(",") } && parsed.titles.names.contains { $0.contains(":") })

        var firstSeen: [String: [String]] = [:]
        var seen: [String: Set<String>] = [:]
        for (user, id) in ids.enumerated() {
            let record = try #require(records[id])
            for (field, lists, vocabulary) in [("titles", parsed.table.titles, parsed.titles),
                                               ("genres", parsed.table.genres, parsed.genres),
                                               ("cities", parsed.table.cities, parsed.cities)] {
                let expected = try ReferenceParser.entries(try #require(record[field]), namesMayContainCommas: field == "titles")
                #expect(entries(lists, vocabulary, user: user) == expected, "\(id) \(field)")
                for entry in expected where seen[field, default: []].insert(entry.name).inserted {
                    firstSeen[field, default: []].append(entry.name)
                }
            }
            let hours = try ReferenceParser.dense(try #require(record["tod"]), first: 0, width: 24)
            let days = try ReferenceParser.dense(try #require(record["dow"]), first: 1, width: 7)
            #expect(Array(parsed.table.hourSeconds[user * 24 ..< user * 24 + 24]) == hours, "\(id) tod")
            #expect(Array(parsed.table.daySeconds[user * 7 ..< user * 7 + 7]) == days, "\(id) dow")
            if labelled {
                #expect(parsed.table.segments?[user] == (record["segment"] == "pos" ? .pos : .neg))
            } else {
                #expect(record["segment"] == nil)
            }
        }
        #expect(parsed.titles.names == firstSeen["titles"])
        #expect(parsed.genres.names == firstSeen["genres"])
        #expect(parsed.cities.names == firstSeen["cities"])
        // The same file gzipped, and with skipping on, gives the same result.
        let again = try WatchDataLoader.parseFile(bytes: Gzip.compress(bytes, level: 1), fileName: "messy.json",
                                                  labelled: labelled, options: LoadOptions(skipInvalid: true))
        #expect(again.table == parsed.table)
        #expect(again.quality.skippedRecordCount["messy.json"] == 0)
    }

    @Test func byteInternerAgreesWithDictionary() {
        var random = SplitMix64(seed: 99)
        var interner = ByteInterner(capacity: 4)
        var reference: [[UInt8]: Int32] = [:]
        var keys: [[UInt8]] = [[]]
        for _ in 0 ..< 5_000 {
            let length = Int.random(in: 0 ... 40, using: &random)
            keys.append((0 ..< length).map { _ in UInt8.random(in: 0 ... 5, using: &random) + UInt8(ascii: "a") })
        }
        for key in keys where reference[key] == nil {
            let code = Int32(reference.count)
            reference[key] = code
            interner.insertIfAbsent(key, code: code)
        }
        #expect(interner.count == reference.count)
        for (key, code) in reference {
            let found = (key + [0]).withUnsafeBufferPointer { interner.code(of: $0.baseAddress!, length: key.count) }
            #expect(found == code)
        }
        let absent: [UInt8] = Array("not-in-the-table-at-all-zzzzzzzzzzzzzzzzzzzzzzz".utf8)
        #expect(absent.withUnsafeBufferPointer { interner.code(of: $0.baseAddress!, length: absent.count) } == nil)
        // Keys that differ only past the first word or in the tail hash apart.
        let a = Array("abcdefgh12345".utf8), b = Array("abcdefgh12346".utf8)
        #expect(a.withUnsafeBufferPointer { ByteInterner.hash($0.baseAddress!, a.count) }
            != b.withUnsafeBufferPointer { ByteInterner.hash($0.baseAddress!, b.count) })
    }
}

@Suite("User id set")
struct RecordIDSetTests {
    @Test func findsDuplicatesAcrossBothStructures() {
        var set = RecordIDSet()
        var reference = Set<String>()
        var random = SplitMix64(seed: 5)
        let shapes = ["train-", "test-", "", "train-0", "x"]
        var candidates: [String] = ["abc", "train-01", "train-1", "train-1 ", "123", "0", "00", "train-999999999", "train-1000000000"]
        for _ in 0 ..< 3_000 {
            candidates.append(shapes.randomElement(using: &random)! + String(Int.random(in: 0 ... 3_000, using: &random)))
        }
        for id in candidates {
            let bytes = Array(id.utf8) + [0]
            let found = bytes.withUnsafeBufferPointer { set.contains($0.baseAddress!, length: bytes.count - 1) }
            #expect(found == reference.contains(id), "\(id)")
            if !found {
                bytes.withUnsafeBufferPointer { set.insert($0.baseAddress!, length: bytes.count - 1) }
                reference.insert(id)
            }
        }
        #expect(reference.count > 1_000)
        // Duplicates in a file are found whether the ids are numbered or not.
        expectFailure(file(trainUser("train-01"), trainUser("train-1"), trainUser("a"), trainUser("a")), kind: .duplicateRecordID,
                      record: "a", field: nil, at: "a\"", occurrence: 2)
    }
}
