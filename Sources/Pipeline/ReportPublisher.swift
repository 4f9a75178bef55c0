import Foundation
import Reporting

/// The report step's work: read every section and the manifest, write `index.html` and
/// `report.md` into the report root.
public enum ReportPublisher {
    /// Builds the report for `steps` (in report order) from the sections on disk and the manifest.
    public static func publish(in context: StepContext, steps: [ReportedStep]) throws {
        let input = context.phase("read sections") {
            makeInput(reportDirectory: context.reportDirectory, steps: steps, manifest: context.manifest,
                      options: context.options)
        }
        let html = HTMLReport.render(input, reportDirectory: context.reportDirectory)
        let markdown = MarkdownReport.render(input, reportDirectory: context.reportDirectory)
        try context.phase("write report") {
            try context.writeReportRootFile(Data(html.utf8), named: "index.html")
            try context.writeReportRootFile(Data(markdown.utf8), named: "report.md")
        }
        let ready = input.sections.filter { $0.document != nil }.count
        context.note("wrote index.html and report.md (\(ready) of \(steps.count) sections ready)")
    }

    /// The report's content.
    public static func makeInput(reportDirectory: URL, steps: [ReportedStep], manifest: Manifest,
                                 options: StepOptions, generatedAt: Date = Date()) -> ReportInput {
        let sections = ReportBuilder.readSections(in: reportDirectory, steps: steps)
        let configuration = options.globalConfiguration
        let dataSource = options.usesBuiltinData
            ? "built-in synthetic data (\(configuration.builtinSize ?? "full"))"
            : "\(configuration.train), \(configuration.test)"
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return ReportInput(
            subtitle: "Predicting the pos segment of Hotstar viewers from watch histories · data: \(dataSource) · seed \(options.seed)",
            generatedAt: formatter.string(from: generatedAt),
            sections: sections,
            data: manifest.data.map(dataOverview),
            reproduction: reproduction(manifest: manifest, steps: steps, options: options))
    }

    static func percent(_ share: Double) -> String { String(format: "%.2f %%", share * 100) }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }

    static func dataOverview(_ record: DataRecord) -> DataOverview {
        DataOverview(
            facts: [
                Fact("Train users", grouped(record.trainUserCount)),
                Fact("Test users", grouped(record.testUserCount)),
                Fact("Positive rate (train)", "\(percent(record.positiveRate)) (\(grouped(record.positiveCount)) pos)"),
                Fact("Distinct titles / genres / cities",
                     "\(grouped(record.titleCount)) / \(grouped(record.genreCount)) / \(grouped(record.cityCount))"),
                Fact("Parse time", String(format: "%.2f s", record.loadSeconds)),
            ],
            coverageRows: record.coverage.map { [$0.field, percent($0.trainShare), percent($0.testShare)] },
            skipped: record.skippedRecordCount.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                .map { Fact($0.key, "\(grouped($0.value)) records") },
            skippedExamples: record.skippedExamples,
            qualityNotes: qualityNotes(record))
    }

    /// Plain-language notes from the loader's counts.
    static func qualityNotes(_ record: DataRecord) -> [String] {
        guard let summary = record.loaderSummary else { return [] }
        var notes: [String] = []
        let empty = [("train", summary.train), ("test", summary.test)].filter { $0.1.emptyTitlesUserCount > 0 }
        if !empty.isEmpty {
            notes.append(empty.map { "\(grouped($0.1.emptyTitlesUserCount)) \($0.0)" }.joined(separator: " and ")
                + " users have an empty titles field (they still have genres, cities, hours and days).")
        }
        for (name, table) in [("train", summary.train), ("test", summary.test)] {
            let zero = ["titles", "genres", "cities"].compactMap { field -> String? in
                guard let count = table.zeroSecondEntryCount[field], count > 0 else { return nil }
                let total = table.entryCount[field] ?? 0
                return "\(grouped(count)) of \(grouped(total)) \(field) entries"
            }
            if !zero.isEmpty { notes.append("Zero-second entries in \(name): " + zero.joined(separator: ", ") + ".") }
        }
        return notes
    }

    static func reproduction(manifest: Manifest, steps: [ReportedStep], options: StepOptions) -> ReproductionInfo {
        let configuration = options.globalConfiguration
        var command = "swift run analyze --seed \(options.seed)"
        if let train = options.train, let test = options.test {
            command += " --train \(shellQuoted(train)) --test \(shellQuoted(test))"
        }
        if options.skipInvalid { command += " --skip-invalid" }
        if options.out != "reports" { command += " --out \(shellQuoted(options.out))" }
        if options.usesBuiltinData && options.resolvedBuiltinSize != .full {
            command = "PTS_BUILTIN_SIZE=\(options.resolvedBuiltinSize.rawValue) " + command
        }
        var facts = [Fact("Seed", "\(configuration.seed)"), Fact("Train", configuration.train), Fact("Test", configuration.test),
                     Fact("Skip invalid records", configuration.skipInvalid ? "yes" : "no")]
        if let size = configuration.builtinSize { facts.append(Fact("Built-in data size", size)) }
        let order = steps.map(\.name)
        let records = manifest.steps.values.sorted {
            (order.firstIndex(of: $0.name) ?? Int.max, $0.name) < (order.firstIndex(of: $1.name) ?? Int.max, $1.name)
        }
        let inputs = manifest.data?.inputs
            ?? records.first { !$0.inputs.isEmpty }?.inputs
            ?? []
        return ReproductionInfo(
            tool: [Fact("Tool", "\(manifest.tool.name) \(manifest.tool.version)"), Fact("Swift", manifest.tool.swiftVersion),
                   Fact("Platform", manifest.tool.platform)],
            configuration: facts,
            command: command,
            inputs: inputs.map { .init(role: $0.role, path: $0.path, byteCount: $0.byteCount, hash: $0.hash) },
            steps: records.map { record in
                .init(name: record.name, title: record.title, ranInLastRun: !record.cachedInLastRun, version: record.version,
                      seed: hexDigest(record.seed), fingerprint: String(record.fingerprint.prefix(12)),
                      finishedAt: record.finishedAt, wallSeconds: record.wallSeconds,
                      phases: record.phases.map { (name: $0.name, seconds: $0.seconds) },
                      configuration: record.configuration.sorted { $0.key < $1.key }.map { Fact($0.key, $0.value) })
            })
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=+,".unicodeScalars.contains($0)
        }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
