import Foundation

/// Number formats used in the EDA section's text and tables (locale-independent).
enum EDAFormat {
    /// `200000` → `200,000`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// `0.07627` → `7.6 %` (`digits` decimals).
    static func percent(_ fraction: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f %%", fraction * 100)
    }

    /// Fixed decimals.
    static func decimal(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// Seconds as hours with sensible precision (`6743` → `1.9 h`, `90` → `0.03 h`).
    static func hours(_ seconds: Double) -> String {
        let hours = seconds / 3600
        if hours >= 10 { return String(format: "%.0f h", hours) }
        if hours >= 0.1 { return String(format: "%.1f h", hours) }
        return String(format: "%.2f h", hours)
    }

    /// A value that may be a count or a share: integers without decimals, small values with 3.
    static func value(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return count(Int(value)) }
        return abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
    }

    /// `[0.12, 0.2]` → `12.0–20.0 %`.
    static func percentInterval(_ lower: Double, _ upper: Double) -> String {
        String(format: "%.1f–%.1f %%", lower * 100, upper * 100)
    }
}

/// A CSV table (RFC 4180 quoting: fields with `,`, `"` or line breaks are quoted, quotes doubled).
struct CSVTable {
    var columns: [String]
    var rows: [[String]] = []

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    var text: String {
        ([columns] + rows).map { $0.map(Self.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    func write(to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }
}
