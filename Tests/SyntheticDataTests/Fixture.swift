import Foundation
import SegmentData
@testable import SyntheticData

/// One reduced data set shared by the tests (generated once, lazily).
enum Fixture {
    static let configuration = SyntheticConfiguration.small(trainUserCount: 20_000, testUserCount: 5_000)
    static let generator = SyntheticGenerator(configuration: configuration, seed: 7)
    static let train = generator.users(.train)
    static let test = generator.users(.test)
    static let genreOfTitle: [String: String] = Dictionary(
        generator.titleCatalogue.map { ($0.name, $0.genre) }, uniquingKeysWith: { first, _ in first })
}

/// Reads the key order of a JSON object of objects whose values are all strings, checking that no
/// whitespace appears between tokens. Returns `(outerKey, [innerKey])` pairs in file order.
func scanObjectOfStringObjects(_ bytes: [UInt8]) -> [(key: String, fields: [String])]? {
    var position = 0
    func expect(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
    func string() -> String? {
        guard expect(0x22) else { return nil }
        var raw: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == 0x22 { return String(decoding: raw, as: UTF8.self) }
            if byte == 0x5C {
                guard position < bytes.count else { return nil }
                raw.append(byte)
                raw.append(bytes[position])
                position += 1
            } else {
                raw.append(byte)
            }
        }
        return nil
    }
    var result: [(key: String, fields: [String])] = []
    guard expect(0x7B) else { return nil }
    while true {
        guard let key = string(), expect(0x3A), expect(0x7B) else { return nil }
        var fields: [String] = []
        while true {
            guard let field = string(), expect(0x3A), string() != nil else { return nil }
            fields.append(field)
            if expect(0x2C) { continue }
            guard expect(0x7D) else { return nil }
            break
        }
        result.append((key, fields))
        if expect(0x2C) { continue }
        guard expect(0x7D), position == bytes.count else { return nil }
        return result
    }
}

extension Array where Element == SyntheticEntry {
    var totalSeconds: Int { reduce(0) { $0 + $1.seconds } }
    var joined: String { map { "\($0.name):\($0.seconds)" }.joined(separator: ",") }
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
