import Core
import Foundation

/// A CSV table as steps write them beside their report tables (RFC 4180 quoting: a field holding a
/// comma, a quote or a line break is quoted, its quotes doubled; lines end with `\n`).
public struct CSVTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// One field, quoted only when it needs to be.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The header and the rows, one line each.
    public var text: String {
        ([columns] + rows).map { $0.map(Self.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Writes ``text`` as UTF-8 to `url`, atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(text, to: url)
    }
}
