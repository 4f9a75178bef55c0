import Foundation
@testable import SegmentData

/// A slow, obviously-correct reading of the format with Foundation and Swift strings, to check the fast loader.
enum ReferenceParser {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether `bytes` are `-?[0-9]+`.
    static func looksLikeSeconds(_ bytes: ArraySlice<UInt8>) -> Bool {
        var digits = bytes[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Splits a field value into entries: comma-separated pieces, each ending in `:seconds` after its last colon;
    /// with `namesMayContainCommas`, a piece without that ending joins the next piece.
    static func entries(_ value: String, namesMayContainCommas: Bool) throws -> [Entry] {
        let bytes = Array(value.utf8)
        if bytes.isEmpty { return [] }
        let pieces = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        var result: [Entry] = []
        var pending: [ArraySlice<UInt8>] = []
        for (index, piece) in pieces.enumerated() {
            pending.append(piece)
            if let colon = piece.lastIndex(of: UInt8(ascii: ":")), looksLikeSeconds(piece[(colon + 1)...]) {
                let secondsText = String(decoding: piece[(colon + 1)...], as: UTF8.self)
                guard let seconds = Int32(secondsText), seconds >= 0 else { throw Failure(description: "bad seconds \(secondsText)") }
                var nameBytes: [UInt8] = []
                for (number, part) in pending.enumerated() {
                    if number > 0 { nameBytes.append(UInt8(ascii: ",")) }
                    nameBytes.append(contentsOf: number == pending.count - 1 ? part[..<colon] : part)
                }
                guard !nameBytes.isEmpty else { throw Failure(description: "empty name") }
                result.append(Entry(String(decoding: nameBytes, as: UTF8.self), seconds))
                pending = []
            } else if !(namesMayContainCommas && index < pieces.count - 1) {
                throw Failure(description: "no seconds in \(String(decoding: piece, as: UTF8.self))")
            }
        }
        return result
    }

    /// A whole file read with `JSONSerialization`: users by id, each a field → value map.
    static func records(_ bytes: [UInt8]) throws -> [String: [String: String]] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Failure(description: "top level is not an object")
        }
        var records: [String: [String: String]] = [:]
        for (id, value) in object {
            guard let fields = value as? [String: String] else { throw Failure(description: "\(id) is not an object of strings") }
            records[id] = fields
        }
        return records
    }

    /// Dense seconds of `tod` (first 0, width 24) or `dow` (first 1, width 7).
    static func dense(_ value: String, first: Int, width: Int) throws -> [Int32] {
        var row = [Int32](repeating: 0, count: width)
        for entry in try entries(value, namesMayContainCommas: false) {
            guard let slot = Int(entry.name).map({ $0 - first }), slot >= 0, slot < width else {
                throw Failure(description: "bad hour or day \(entry.name)")
            }
            row[slot] = entry.seconds
        }
        return row
    }
}
