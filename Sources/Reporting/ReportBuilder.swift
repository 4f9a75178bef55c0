import Core
import Foundation

/// Reads the step sections from a report folder and writes `index.html` and `report.md`.
public enum ReportBuilder {
    /// Reads `<reportDirectory>/<step>/section.json` for each step; a missing file gives a
    /// "not run yet" slot and an undecodable one an "unreadable" slot (never an error).
    public static func readSections(in reportDirectory: URL, steps: [ReportedStep]) -> [SectionSlot] {
        steps.map { step in
            let url = reportDirectory.appendingPathComponent(step.name).appendingPathComponent("section.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return SectionSlot(step: step, state: .notRun) }
            do {
                let document = try JSONDecoder().decode(SectionDocument.self, from: Data(contentsOf: url))
                return SectionSlot(step: step, state: .ready(document))
            } catch {
                return SectionSlot(step: step, state: .unreadable("\(step.name)/section.json cannot be read: \(error)"))
            }
        }
    }

    /// Renders both documents and writes them atomically into `reportDirectory`.
    /// Returns the two file names written.
    @discardableResult
    public static func write(_ input: ReportInput, to reportDirectory: URL) throws -> [String] {
        let html = HTMLReport.render(input, reportDirectory: reportDirectory)
        let markdown = MarkdownReport.render(input, reportDirectory: reportDirectory)
        try AtomicFile.write(html, to: reportDirectory.appendingPathComponent("index.html"))
        try AtomicFile.write(markdown, to: reportDirectory.appendingPathComponent("report.md"))
        return ["index.html", "report.md"]
    }

    /// A report-relative path that is safe to link (relative, no `..`, no scheme) and exists.
    static func linkableFile(_ path: String, in reportDirectory: URL) -> Bool {
        guard isSafeRelativePath(path) else { return false }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: reportDirectory.appendingPathComponent(path).path,
                                                    isDirectory: &isDirectory)
        return exists && !isDirectory.boolValue
    }

    /// Whether `path` is a plain relative path inside the report folder.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains(":"), !path.contains("\\") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0.isEmpty }
    }

    /// Percent-encodes each path component for use in `href` / `src` / Markdown links.
    static func encodedPath(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return path.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0)
        }.joined(separator: "/")
    }

    /// The id of a step's section in the page (`step-eda`).
    public static func anchor(_ name: String) -> String {
        let cleaned = name.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" }
        return "step-" + String(cleaned)
    }

    /// One row of the summary: where the numbers come from, where that is in the report, and the numbers.
    struct SummaryRow: Equatable {
        var title: String
        var anchor: String
        var items: [Fact]
        /// The data line (from the manifest) rather than a section's highlights.
        var isData = false
    }

    /// The summary's rows: the data line once (from the manifest), then each ready section's
    /// highlights, in report order.
    static func summaryRows(of input: ReportInput) -> [SummaryRow] {
        var rows: [SummaryRow] = []
        if let data = input.data, !data.facts.isEmpty {
            var items = Array(data.facts.prefix(4))
            if !data.skipped.isEmpty {
                items.append(Fact("Skipped as invalid", data.skipped.map { "\($0.label): \($0.value)" }.joined(separator: ", ")))
            }
            let target = input.dataOverviewSection.map { Self.anchor($0.step.name) } ?? "data"
            rows.append(SummaryRow(title: "Data", anchor: target, items: items, isData: true))
        }
        for slot in input.sections {
            guard let document = slot.document, !document.highlights.isEmpty else { continue }
            rows.append(SummaryRow(title: document.title, anchor: anchor(slot.step.name),
                                   items: document.highlights.map { Fact($0.label, $0.value) }))
        }
        return rows
    }

    /// Seconds as text.
    static func seconds(_ value: Double) -> String {
        if value < 0.01 { return "< 0.01 s" }
        return value < 10 ? String(format: "%.2f s", value) : String(format: "%.1f s", value)
    }

    /// Bytes as text.
    static func size(_ bytes: Int64) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1_000 { return String(format: "%.1f kB", Double(bytes) / 1_000) }
        return "\(bytes) B"
    }
}
