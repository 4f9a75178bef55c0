import Foundation
@testable import Reporting
import Testing

/// A report folder with two written sections (one with a figure and a CSV) and one missing.
private struct ReportFixture {
    let folder: URL
    let input: ReportInput

    init(title: String = "Watch <script>alert(\"x\")</script> & 'friends'") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reporting-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("eda"), withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4e, 0x47]).write(to: folder.appendingPathComponent("eda/genre rate.png"))
        try Data("a,b\n1,2\n".utf8).write(to: folder.appendingPathComponent("eda/lift.csv"))
        let eda = SectionDocument(
            step: "eda", title: "Exploratory data analysis",
            summary: "Cricket <b>dominates</b> & pos users differ.",
            blocks: [
                .heading("Titles"),
                .paragraph(title),
                .list(["first <i>", "second | item"]),
                .figure(.init(path: "eda/genre rate.png", caption: "Positive rate by genre", altText: "bars <alt>")),
                .figure(.init(path: "eda/never-written.png", caption: "Missing one")),
                .figure(.init(path: "../../etc/passwd", caption: "Escaping the folder")),
                .table(.init(caption: "Top titles", columns: ["title", "users", "lift"],
                             rows: [[title, "1,234", "2.50"], ["A|B \\ C", "7", "0.90"]],
                             numericColumns: [1, 2], csvPath: "eda/lift.csv")),
            ],
            highlights: [.init(label: "Train users", value: "200,000"), .init(label: "Top <feature>", value: "Cricket")])
        let encoder = JSONEncoder()
        try encoder.encode(eda).write(to: folder.appendingPathComponent("eda/section.json"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("broken"), withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: folder.appendingPathComponent("broken/section.json"))
        let sections = ReportBuilder.readSections(in: folder, steps: [
            ReportedStep(name: "eda", title: "EDA"),
            ReportedStep(name: "models", title: "Models <&>"),
            ReportedStep(name: "broken", title: "Broken"),
        ])
        input = ReportInput(
            subtitle: "data: builtin · seed 2017", generatedAt: "2026-11-29T05:00:00Z", sections: sections,
            data: DataOverview(facts: [Fact("Train users", "200,000")], coverageRows: [["titles", "99.98 %", "99.99 %"]],
                               skipped: [Fact("train_data.json", "3 records")],
                               skippedExamples: ["train_data.json: record train-7, field titles, byte 41: bad <seconds>"]),
            reproduction: ReproductionInfo(
                tool: [Fact("Tool", "PredictTheSegment 0.1.0")], configuration: [Fact("Seed", "2017")],
                command: "swift run analyze --seed 2017 --train 'a b.json' --test t.json",
                inputs: [.init(role: "train", path: "/data/train <1>.json", byteCount: 160_000_000, hash: "0123456789abcdef")],
                steps: [.init(name: "eda", title: "EDA", ranInLastRun: true, version: 1, seed: "00000000000000ff",
                              fingerprint: "abcdef012345", finishedAt: "2026-11-29T05:00:00Z", wallSeconds: 12.5,
                              phases: [(name: "load <data>", seconds: 3.2), (name: "charts", seconds: 1.1)],
                              configuration: [Fact("bins", "20")])]))
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}

@Test func htmlEscapesEveryPieceOfText() throws {
    let fixture = try ReportFixture()
    defer { fixture.cleanUp() }
    let html = HTMLReport.render(fixture.input, reportDirectory: fixture.folder)
    #expect(!html.contains("<script>"))
    #expect(html.contains("Watch &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;"))
    #expect(!html.contains("<b>dominates</b>") && html.contains("&lt;b&gt;dominates&lt;/b&gt;"))
    #expect(html.contains("Models &lt;&amp;&gt;") && html.contains("Top &lt;feature&gt;"))
    #expect(html.contains("load &lt;data&gt;") && html.contains("bad &lt;seconds&gt;"))
    #expect(!html.contains("<i>") && !html.contains("<alt>"))
    #expect(HTMLReport.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
}

@Test func missingSectionsShowPlaceholdersInsteadOfFailing() throws {
    let fixture = try ReportFixture()
    defer { fixture.cleanUp() }
    #expect(fixture.input.sections.map(\.state.kind) == ["ready", "notRun", "unreadable"])
    let html = HTMLReport.render(fixture.input, reportDirectory: fixture.folder)
    let markdown = MarkdownReport.render(fixture.input, reportDirectory: fixture.folder)
    #expect(html.contains("id=\"step-models\"") && html.contains("Not run yet. Run <code>swift run models</code>"))
    #expect(html.contains("broken/section.json cannot be read"))
    #expect(markdown.contains("_Not run yet._ Run `swift run models`"))
    #expect(html.contains("not run yet: Models &lt;&amp;&gt;, Broken"))
}

@Test func everyReferencedFigureAndCSVExists() throws {
    let fixture = try ReportFixture()
    defer { fixture.cleanUp() }
    let html = HTMLReport.render(fixture.input, reportDirectory: fixture.folder)
    let sources = html.components(separatedBy: " src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    let links = html.components(separatedBy: " href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        .filter { !$0.hasPrefix("#") }
    #expect(sources == ["eda/genre%20rate.png"])
    #expect(Set(links) == ["eda/genre%20rate.png", "eda/lift.csv"])
    for path in sources + links {
        let decoded = try #require(path.removingPercentEncoding)
        #expect(FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent(decoded).path), "\(path)")
    }
    #expect(html.contains("Figure missing: eda/never-written.png"))
    #expect(html.contains("Figure missing: ../../etc/passwd"))
    let markdown = MarkdownReport.render(fixture.input, reportDirectory: fixture.folder)
    #expect(markdown.contains("![bars \\<alt\\>](eda/genre%20rate.png)"))
    #expect(markdown.contains("[Full table (CSV)](eda/lift.csv)"))
    #expect(!markdown.contains("](../../etc/passwd)") && !markdown.contains("](eda/never-written.png)"))
}

@Test func markdownTablesEscapePipesAndKeepAlignment() throws {
    let fixture = try ReportFixture()
    defer { fixture.cleanUp() }
    let markdown = MarkdownReport.render(fixture.input, reportDirectory: fixture.folder)
    #expect(markdown.contains("| title | users | lift |\n| --- | ---: | ---: |"))
    #expect(markdown.contains("| A\\|B \\\\ C | 7 | 0.90 |"))
    let table = MarkdownReport.table(columns: ["a", "b"], rows: [["x|y", "line\nbreak"], ["short"]], numeric: [1])
    #expect(table == ["| a | b |", "| --- | ---: |", "| x\\|y | line break |", "| short |   |"])
    // Every table row has the same number of unescaped pipes as its header.
    for line in markdown.split(separator: "\n") where line.hasPrefix("| ") {
        let unescaped = line.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\|", with: "")
        #expect(unescaped.filter { $0 == "|" }.count >= 2)
    }
    #expect(!markdown.contains("<script>"))
    #expect(MarkdownReport.escapeInline("1. not a list") == "1\\. not a list")
    #expect(MarkdownReport.escapeInline("- not a bullet") == "\\- not a bullet")
}

@Test func writeProducesBothFilesAtomically() throws {
    let fixture = try ReportFixture()
    defer { fixture.cleanUp() }
    let written = try ReportBuilder.write(fixture.input, to: fixture.folder)
    #expect(written == ["index.html", "report.md"])
    let html = try String(contentsOf: fixture.folder.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.hasPrefix("<!doctype html>") && html.hasSuffix("</html>\n"))
    #expect(!html.contains("http://") && !html.contains("https://"), "no network references")
    let entries = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path)
    #expect(!entries.contains { $0.contains(".tmp-") })
}

@Test func safeRelativePaths() {
    #expect(ReportBuilder.isSafeRelativePath("eda/a.png"))
    #expect(!ReportBuilder.isSafeRelativePath("/etc/a.png"))
    #expect(!ReportBuilder.isSafeRelativePath("eda/../../a.png"))
    #expect(!ReportBuilder.isSafeRelativePath("javascript:alert(1)"))
    #expect(!ReportBuilder.isSafeRelativePath(""))
}

extension SectionSlot.State {
    var kind: String {
        switch self {
        case .ready: "ready"
        case .notRun: "notRun"
        case .unreadable: "unreadable"
        }
    }
}
