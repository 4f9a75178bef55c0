import Foundation

/// Renders the report as GitHub-flavoured Markdown with the same content and figures as the
/// HTML page (images linked relatively).
public enum MarkdownReport {
    /// Backslash-escapes Markdown punctuation in inline text and folds line breaks into spaces;
    /// a leading `- `, `+ ` or `1. ` is escaped too so the text never turns into a list item.
    public static func escapeInline(_ text: String) -> String {
        var result = escapeCharacters(text)
        if result.hasPrefix("- ") || result.hasPrefix("+ ") {
            result = "\\" + result
        } else if let dot = result.firstIndex(of: "."), dot != result.startIndex,
                  result[..<dot].allSatisfy({ $0.isASCII && $0.isNumber }), result[result.index(after: dot)...].hasPrefix(" ") {
            result.insert("\\", at: dot)
        }
        return result
    }

    private static func escapeCharacters(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~":
                result += "\\"
                result.unicodeScalars.append(scalar)
            case "\n", "\r", "\t":
                result += " "
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A table cell: punctuation escaped (so `|` becomes `\|`), line breaks folded.
    public static func escapeCell(_ text: String) -> String {
        let escaped = escapeCharacters(text)
        return escaped.isEmpty ? " " : escaped
    }

    /// The GitHub heading anchor for `heading`.
    static func slug(_ heading: String) -> String {
        var slug = ""
        for character in heading.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        return slug
    }

    /// The whole document.
    public static func render(_ input: ReportInput, reportDirectory: URL) -> String {
        var lines: [String] = []
        lines += header(input)
        lines += contents(input)
        lines += summary(input)
        if input.showsDataCard, let data = input.data { lines += dataCard(data) }
        lines += sections(input, reportDirectory: reportDirectory)
        if let info = input.reproduction { lines += reproduction(info) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Title and subtitle line.
    private static func header(_ input: ReportInput) -> [String] {
        ["# \(escapeInline(input.title))", "",
         "_\(escapeInline(input.subtitle)) · generated \(escapeInline(input.generatedAt))_", ""]
    }

    /// The table of contents, one link per part.
    private static func contents(_ input: ReportInput) -> [String] {
        var lines = ["## Contents", "", "- [Summary](#summary)"]
        if input.showsDataCard { lines.append("- [Data and data quality](#data-and-data-quality)") }
        for (index, slot) in input.sections.enumerated() {
            let heading = "\(index + 1). \(slot.document?.title ?? slot.step.title)"
            lines.append("- [\(escapeInline(heading))](#\(slug(heading)))" + (slot.document == nil ? " (not run yet)" : ""))
        }
        if input.reproduction != nil { lines.append("- [Reproduction](#reproduction)") }
        lines.append("")
        return lines
    }

    /// Headline numbers and how many sections are ready.
    private static func summary(_ input: ReportInput) -> [String] {
        var lines = ["## Summary", ""]
        var rows = ReportBuilder.summaryRows(of: input)
        if let data = rows.first, data.isData {
            rows.removeFirst()
            lines.append(data.items.map { "**\(escapeInline($0.label))** \(escapeInline($0.value))" }.joined(separator: " · "))
            lines.append("")
        }
        if rows.isEmpty && !input.sections.isEmpty {
            lines.append("No headline numbers yet: run `swift run analyze`.")
        } else if !rows.isEmpty {
            lines += table(columns: ["headline", "value", "from"],
                           rows: rows.flatMap { row in row.items.map { [$0.label, $0.value, row.title] } }, numeric: [])
        }
        lines.append("")
        let pending = input.sections.filter { $0.document == nil }
        if input.sections.isEmpty {
            lines.append("No analysis steps are available in this build yet.")
        } else {
            lines.append("\(input.sections.count - pending.count) of \(input.sections.count) sections ready"
            + (pending.isEmpty ? "." : "; not run yet: " + pending.map { escapeInline($0.step.title) }.joined(separator: ", ") + "."))
        }
        lines.append("")
        return lines
    }

    /// The data card: facts, field coverage, quality notes and skipped records.
    private static func dataCard(_ data: DataOverview) -> [String] {
        var lines = ["## Data and data quality", ""]
        lines += facts(data.facts)
        if !data.coverageRows.isEmpty {
            lines += ["**Share of users with at least one entry, per field**", ""]
            lines += table(columns: ["field", "train", "test"], rows: data.coverageRows, numeric: [1, 2])
            lines.append("")
        }
        lines += ["### Data quality", ""]
        if !data.qualityNotes.isEmpty {
            lines += data.qualityNotes.map { "- \(escapeInline($0))" }
            lines.append("")
        }
        if data.skipped.isEmpty {
            lines.append("No records were skipped: every record parsed and passed validation.")
        } else {
            lines += ["Records skipped as invalid (`--skip-invalid`):", ""]
            lines += facts(data.skipped)
            if !data.skippedExamples.isEmpty {
                lines += ["First reasons:", ""]
                lines += data.skippedExamples.map { "- \(escapeInline($0))" }
            }
        }
        lines.append("")
        return lines
    }

    /// One part per analysis step, in order.
    private static func sections(_ input: ReportInput, reportDirectory: URL) -> [String] {
        var lines: [String] = []
        for (index, slot) in input.sections.enumerated() {
            let title = slot.document?.title ?? slot.step.title
            lines += ["## \(escapeInline("\(index + 1). \(title)"))", ""]
            switch slot.state {
            case .notRun:
                lines += ["_Not run yet._ Run `swift run \(slot.step.name)` or `swift run analyze`.", ""]
            case let .unreadable(reason):
                lines += ["**\(escapeInline(reason))**", ""]
            case let .ready(document):
                if !document.summary.isEmpty { lines += [escapeInline(document.summary), ""] }
                for block in document.blocks {
                    lines += render(block, reportDirectory: reportDirectory)
                    lines.append("")
                }
            }
        }
        return lines
    }

    /// How to rerun: command, tool, configuration, inputs, then the steps.
    private static func reproduction(_ info: ReproductionInfo) -> [String] {
        var lines = ["## Reproduction", "", "Rerun with:", "", "```sh",
                     info.command.replacingOccurrences(of: "```", with: "'''"), "```", ""]
        lines += ["### Tool", ""]
        lines += facts(info.tool)
        lines += ["### Configuration", ""]
        lines += facts(info.configuration)
        if !info.inputs.isEmpty {
            lines += ["### Input files", ""]
            lines += table(columns: ["role", "path", "size", "hash (64-bit)"],
                           rows: info.inputs.map { [$0.role, $0.path, ReportBuilder.size($0.byteCount), $0.hash] },
                           numeric: [2])
            lines.append("")
        }
        lines += reproductionSteps(info.steps)
        return lines
    }

    /// The steps table, phase timings and per-step configuration.
    private static func reproductionSteps(_ steps: [ReproductionInfo.StepRun]) -> [String] {
        var lines = ["### Steps", ""]
        let ranCount = steps.filter(\.ranInLastRun).count
        lines.append("In the run that last updated the manifest, \(ranCount) of \(steps.count) recorded steps ran and \(steps.count - ranCount) reused cached outputs.")
        lines.append("")
        lines += table(columns: ["step", "last run", "version", "seed", "fingerprint", "finished", "wall time"],
                       rows: steps.map {
                           [$0.name, $0.ranInLastRun ? "ran" : "cached", "\($0.version)", $0.seed, $0.fingerprint,
                            $0.finishedAt, ReportBuilder.seconds($0.wallSeconds)]
                       }, numeric: [2, 6])
        lines.append("")
        let phaseRows = steps.flatMap { step in
            step.phases.map { [step.name, $0.name, ReportBuilder.seconds($0.seconds)] }
        }
        if !phaseRows.isEmpty {
            lines += ["### Phase timings", ""]
            lines += table(columns: ["step", "phase", "seconds"], rows: phaseRows, numeric: [2])
            lines.append("")
        }
        for step in steps where !step.configuration.isEmpty {
            lines.append("- **\(escapeInline(step.name))**: " + step.configuration.map {
                "\(escapeInline($0.label)) = \(escapeInline($0.value))"
            }.joined(separator: ", "))
        }
        return lines
    }

    private static func render(_ block: SectionDocument.Block, reportDirectory: URL) -> [String] {
        switch block {
        case let .heading(text):
            return ["### \(escapeInline(text))"]
        case let .paragraph(text):
            return [escapeInline(text)]
        case let .list(items):
            return items.map { "- \(escapeInline($0))" }
        case let .figure(figure):
            var lines: [String]
            if ReportBuilder.linkableFile(figure.path, in: reportDirectory) {
                lines = ["![\(escapeInline(figure.altText))](\(ReportBuilder.encodedPath(figure.path)))"]
            } else {
                lines = ["_Figure missing: \(escapeInline(figure.path))_"]
            }
            if !figure.caption.isEmpty { lines += ["", "_\(escapeInline(figure.caption))_"] }
            return lines
        case let .table(table):
            var lines: [String] = []
            if !table.caption.isEmpty { lines += ["**\(escapeInline(table.caption))**", ""] }
            lines += Self.table(columns: table.columns, rows: table.rows, numeric: Set(table.numericColumns))
            if let csvPath = table.csvPath {
                lines.append("")
                if ReportBuilder.linkableFile(csvPath, in: reportDirectory) {
                    lines.append("[Full table (CSV)](\(ReportBuilder.encodedPath(csvPath)))")
                } else {
                    lines.append("_CSV missing: \(escapeInline(csvPath))_")
                }
            }
            return lines
        }
    }

    /// A GitHub-flavoured table; rows are padded or cut to the column count.
    static func table(columns: [String], rows: [[String]], numeric: Set<Int>) -> [String] {
        guard !columns.isEmpty else { return [] }
        var lines = ["| " + columns.map(escapeCell).joined(separator: " | ") + " |"]
        lines.append("| " + columns.indices.map { numeric.contains($0) ? "---:" : "---" }.joined(separator: " | ") + " |")
        for row in rows {
            let cells = columns.indices.map { $0 < row.count ? escapeCell(row[$0]) : " " }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    private static func facts(_ facts: [Fact]) -> [String] {
        guard !facts.isEmpty else { return [] }
        return facts.map { "- **\(escapeInline($0.label))**: \(escapeInline($0.value))" } + [""]
    }
}
