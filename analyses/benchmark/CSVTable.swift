import Core
import Foundation
import Learning

/// A labelled numeric table read from CSV: 0/1 label first, numeric features after, no header.
struct LabelledTable {
    var features: DenseMatrix
    var labels: [UInt8]
}

/// A problem reading a benchmark CSV, naming the file, line, field and byte position.
struct CSVError: Error, CustomStringConvertible {
    var path: String
    var line: Int
    var field: Int
    var message: String
    var description: String {
        line > 0 ? "\(path):\(line): field \(field): \(message)" : "\(path): \(message)"
    }
}

/// Reads `path` strictly: every line must have the same number of fields, the label must be
/// 0 or 1 (also written `0.0` / `1.0`), features must parse as numbers (empty or `NaN` = missing).
func readLabelledCSV(path: String) throws -> LabelledTable {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw CSVError(path: path, line: 0, field: 0, message: "cannot read file (\(error.localizedDescription))")
    }
    var labels = [UInt8]()
    var values = [Float]()
    var columnCount: Int?
    var lineNumber = 0
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            defer { start = end + 1 }
            if lineEnd == start { continue }  // blank line
            var fields = [Substring]()
            let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< lineEnd]), as: UTF8.self)
            fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2 else {
                throw CSVError(path: path, line: lineNumber, field: 1, message: "expected a label and at least one feature")
            }
            if let expected = columnCount, fields.count - 1 != expected {
                throw CSVError(path: path, line: lineNumber, field: fields.count,
                               message: "\(fields.count - 1) features, earlier lines have \(expected)")
            }
            columnCount = fields.count - 1
            let labelText = fields[0].trimmingCharacters(in: .whitespaces)
            switch Double(labelText) {
            case 0?: labels.append(0)
            case 1?: labels.append(1)
            default:
                throw CSVError(path: path, line: lineNumber, field: 1, message: "label '\(labelText)' is not 0 or 1")
            }
            for (k, field) in fields.dropFirst().enumerated() {
                let text = field.trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text.lowercased() == "nan" { values.append(.nan); continue }
                guard let value = Float(text), value.isFinite else {
                    throw CSVError(path: path, line: lineNumber, field: k + 2, message: "'\(text)' is not a finite number")
                }
                values.append(value)
            }
        }
    }
    guard let width = columnCount, !labels.isEmpty else {
        throw CSVError(path: path, line: lineNumber, field: 0, message: "no data rows")
    }
    return LabelledTable(features: DenseMatrix(rowCount: labels.count, columnCount: width, values: values),
                         labels: labels)
}
