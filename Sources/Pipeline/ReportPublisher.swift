import Foundation
import Reporting

/// The report step's work: read every section and the manifest, write `index.html` and
/// `report.md` into the report root.
public enum ReportPublisher {
    /// Builds the report for `steps` (in report order) from the sections on disk and the manifest.
    /// `subtitle` opens the page (the data and seed are appended); `dataOverview` is the data
    /// source's overview of the loaded input, shown in `dataOverviewStep`'s section (see
    /// ``ReportInput/dataOverviewStep``).
    public static func publish(in context: StepContext, steps: [ReportedStep], subtitle: String? = nil,
                               dataOverview: DataOverview? = nil, dataOverviewStep: String? = nil) throws {
        let input = context.phase("read sections") {
            makeInput(reportDirectory: context.reportDirectory, steps: steps, manifest: context.manifest,
                      options: context.options, subtitle: subtitle, dataOverview: dataOverview,
                      dataOverviewStep: dataOverviewStep)
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
                                 options: StepOptions, generatedAt: Date = Date(), subtitle: String? = nil,
                                 dataOverview: DataOverview? = nil, dataOverviewStep: String? = nil) -> ReportInput {
        let sections = ReportBuilder.readSections(in: reportDirectory, steps: steps)
        let configuration = options.globalConfiguration
        let dataSource = options.usesBuiltinData
            ? "built-in synthetic data (\(configuration.builtinSize ?? "full"))"
            : "\(configuration.train), \(configuration.test)"
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return ReportInput(
            subtitle: (subtitle.map { $0 + " · " } ?? "") + "data: \(dataSource) · seed \(options.seed)",
            generatedAt: formatter.string(from: generatedAt),
            sections: sections,
            data: dataOverview,
            reproduction: reproduction(manifest: manifest, steps: steps, options: options),
            dataOverviewStep: dataOverviewStep)
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
