import Foundation

/// Renders the report as one self-contained HTML page: inline CSS, no scripts, no network;
/// figures are PNG files beside the page, linked relatively so the folder opens from disk.
public enum HTMLReport {
    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// The whole page.
    public static func render(_ input: ReportInput, reportDirectory: URL) -> String {
        var page = HTMLPage()
        page.add("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")
        page.add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        page.add("<title>\(escape(input.title))</title>\n<style>\(stylesheet)</style>\n</head>\n<body>")
        page.add("<header class=\"masthead\"><div class=\"masthead-inner\">")
        page.add("<p class=\"eyebrow\">Analysis report</p><h1>\(escape(input.title))</h1>")
        page.add("<p class=\"subtitle\">\(escape(input.subtitle))</p>")
        page.add("<p class=\"generated\">Generated \(escape(input.generatedAt))</p>")
        page.add("</div></header>\n<div class=\"layout\">")
        renderNavigation(input, into: &page)
        page.add("<main>")
        renderSummary(input, into: &page)
        if let data = input.data { renderData(data, into: &page) }
        for (index, slot) in input.sections.enumerated() {
            renderSection(slot, number: index + 1, reportDirectory: reportDirectory, into: &page)
        }
        if let reproduction = input.reproduction { renderReproduction(reproduction, into: &page) }
        page.add("</main>\n</div>")
        page.add("<footer>Built by PredictTheSegment from the step outputs in this folder; open <code>report.md</code> for the Markdown version.</footer>")
        page.add("</body>\n</html>")
        return page.text
    }

    private static func renderNavigation(_ input: ReportInput, into page: inout HTMLPage) {
        page.add("<nav class=\"toc\" aria-label=\"Contents\"><p class=\"toc-title\">Contents</p><ol>")
        page.add("<li><a href=\"#summary\">Summary</a></li>")
        if input.data != nil { page.add("<li><a href=\"#data\">Data and data quality</a></li>") }
        for (index, slot) in input.sections.enumerated() {
            let pending = slot.document == nil ? " <span class=\"badge muted\">not run</span>" : ""
            page.add("<li><a href=\"#\(ReportBuilder.anchor(slot.step.name))\">\(index + 1). \(escape(slot.document?.title ?? slot.step.title))</a>\(pending)</li>")
        }
        if input.reproduction != nil { page.add("<li><a href=\"#reproduction\">Reproduction</a></li>") }
        page.add("</ol></nav>")
    }

    private static func renderSummary(_ input: ReportInput, into page: inout HTMLPage) {
        page.add("<section id=\"summary\" class=\"card\"><h2>Summary</h2>")
        let ready = input.sections.filter { $0.document != nil }
        let pending = input.sections.filter { $0.document == nil }
        let highlights = ReportBuilder.highlights(of: input)
        if let data = input.data, !data.facts.isEmpty, highlights.isEmpty {
            page.add("<p class=\"data-line\">" + data.facts.prefix(4).map {
                "<span><b>\(escape($0.label))</b> \(escape($0.value))</span>"
            }.joined(separator: " ") + "</p>")
        }
        if highlights.isEmpty && !input.sections.isEmpty {
            page.add("<p class=\"muted\">No headline numbers yet: run <code>swift run analyze</code>.</p>")
        } else if !highlights.isEmpty {
            page.add("<div class=\"highlights\">")
            for item in highlights {
                let size = item.highlight.value.count > 16 ? " long" : ""
                page.add("<div class=\"highlight\"><div class=\"value\(size)\">\(escape(item.highlight.value))</div>"
                    + "<div class=\"label\">\(escape(item.highlight.label))</div>"
                    + "<div class=\"source\">\(escape(item.from))</div></div>")
            }
            page.add("</div>")
        }
        if input.sections.isEmpty {
            page.add("<p class=\"muted\">No analysis steps are available in this build yet.</p></section>")
            return
        }
        page.add("<p class=\"muted\">\(ready.count) of \(input.sections.count) sections ready"
            + (pending.isEmpty ? "." : "; not run yet: " + pending.map { escape($0.step.title) }.joined(separator: ", ") + ".")
            + "</p></section>")
    }

    private static func renderData(_ data: DataOverview, into page: inout HTMLPage) {
        page.add("<section id=\"data\" class=\"card\"><h2>Data and data quality</h2>")
        renderFacts(data.facts, into: &page)
        if !data.coverageRows.isEmpty {
            renderTable(SectionDocument.Table(caption: "Share of users with at least one entry, per field",
                                              columns: ["field", "train", "test"], rows: data.coverageRows,
                                              numericColumns: [1, 2]),
                        reportDirectory: nil, into: &page)
        }
        page.add("<h3>Data quality</h3>")
        if !data.qualityNotes.isEmpty {
            page.add("<ul>" + data.qualityNotes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
        }
        if data.skipped.isEmpty {
            page.add("<p>No records were skipped: every record parsed and passed validation.</p>")
        } else {
            page.add("<p>Records skipped as invalid (<code>--skip-invalid</code>):</p>")
            renderFacts(data.skipped, into: &page)
            if !data.skippedExamples.isEmpty {
                page.add("<p>First reasons:</p><ul class=\"mono\">")
                for example in data.skippedExamples { page.add("<li>\(escape(example))</li>") }
                page.add("</ul>")
            }
        }
        page.add("</section>")
    }

    private static func renderSection(_ slot: SectionSlot, number: Int, reportDirectory: URL, into page: inout HTMLPage) {
        let anchor = ReportBuilder.anchor(slot.step.name)
        switch slot.state {
        case .notRun:
            page.add("<section id=\"\(anchor)\" class=\"card pending\"><h2><span class=\"num\">\(number)</span> \(escape(slot.step.title))</h2>")
            page.add("<p class=\"muted\">Not run yet. Run <code>swift run \(escape(slot.step.name))</code> or <code>swift run analyze</code>.</p></section>")
        case let .unreadable(reason):
            page.add("<section id=\"\(anchor)\" class=\"card pending\"><h2><span class=\"num\">\(number)</span> \(escape(slot.step.title))</h2>")
            page.add("<p class=\"warning\">\(escape(reason))</p></section>")
        case let .ready(document):
            page.add("<section id=\"\(anchor)\" class=\"card\"><h2><span class=\"num\">\(number)</span> \(escape(document.title))</h2>")
            if !document.summary.isEmpty { page.add("<p class=\"lead\">\(escape(document.summary))</p>") }
            for block in document.blocks {
                switch block {
                case let .heading(text): page.add("<h3>\(escape(text))</h3>")
                case let .paragraph(text): page.add("<p>\(escape(text))</p>")
                case let .list(items):
                    page.add("<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
                case let .figure(figure): renderFigure(figure, reportDirectory: reportDirectory, into: &page)
                case let .table(table): renderTable(table, reportDirectory: reportDirectory, into: &page)
                }
            }
            page.add("</section>")
        }
    }

    private static func renderFigure(_ figure: SectionDocument.Figure, reportDirectory: URL, into page: inout HTMLPage) {
        page.add("<figure>")
        if ReportBuilder.linkableFile(figure.path, in: reportDirectory) {
            let source = escape(ReportBuilder.encodedPath(figure.path))
            page.add("<a href=\"\(source)\"><img src=\"\(source)\" alt=\"\(escape(figure.altText))\" loading=\"lazy\"></a>")
        } else {
            page.add("<div class=\"missing\">Figure missing: \(escape(figure.path))</div>")
        }
        if !figure.caption.isEmpty { page.add("<figcaption>\(escape(figure.caption))</figcaption>") }
        page.add("</figure>")
    }

    private static func renderFacts(_ facts: [Fact], into page: inout HTMLPage) {
        guard !facts.isEmpty else { return }
        page.add("<dl class=\"facts\">" + facts.map {
            "<div><dt>\(escape($0.label))</dt><dd>\(escape($0.value))</dd></div>"
        }.joined() + "</dl>")
    }

    static func renderTable(_ table: SectionDocument.Table, reportDirectory: URL?, into page: inout HTMLPage) {
        let numeric = Set(table.numericColumns)
        page.add("<div class=\"table-wrap\"><table>")
        if !table.caption.isEmpty { page.add("<caption>\(escape(table.caption))</caption>") }
        page.add("<thead><tr>" + table.columns.enumerated().map { index, column in
            numeric.contains(index) ? "<th class=\"n\">\(escape(column))</th>" : "<th>\(escape(column))</th>"
        }.joined() + "</tr></thead><tbody>")
        for row in table.rows {
            page.add("<tr>" + row.enumerated().map { index, cell in
                numeric.contains(index) ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
            }.joined() + "</tr>")
        }
        page.add("</tbody></table></div>")
        if let csvPath = table.csvPath {
            if let reportDirectory, ReportBuilder.linkableFile(csvPath, in: reportDirectory) {
                page.add("<p class=\"csv\"><a href=\"\(escape(ReportBuilder.encodedPath(csvPath)))\">Full table (CSV)</a></p>")
            } else {
                page.add("<p class=\"csv muted\">CSV missing: \(escape(csvPath))</p>")
            }
        }
    }

    private static func renderReproduction(_ info: ReproductionInfo, into page: inout HTMLPage) {
        page.add("<section id=\"reproduction\" class=\"card\"><h2>Reproduction</h2>")
        page.add("<p>Rerun with:</p><pre><code>\(escape(info.command))</code></pre>")
        page.add("<div class=\"two\"><div><h3>Tool</h3>")
        renderFacts(info.tool, into: &page)
        page.add("</div><div><h3>Configuration</h3>")
        renderFacts(info.configuration, into: &page)
        page.add("</div></div>")
        if !info.inputs.isEmpty {
            page.add("<h3>Input files</h3>")
            renderTable(SectionDocument.Table(
                caption: "", columns: ["role", "path", "size", "hash (64-bit)"],
                rows: info.inputs.map { [$0.role, $0.path, ReportBuilder.size($0.byteCount), $0.hash] },
                numericColumns: [2]), reportDirectory: nil, into: &page)
        }
        page.add("<h3>Steps</h3>")
        let ranCount = info.steps.filter(\.ranInLastRun).count
        page.add("<p>In the run that last updated the manifest, \(ranCount) of \(info.steps.count) recorded steps ran and \(info.steps.count - ranCount) reused cached outputs.</p>")
        renderTable(SectionDocument.Table(
            caption: "", columns: ["step", "last run", "version", "seed", "fingerprint", "finished", "wall time"],
            rows: info.steps.map {
                [$0.name, $0.ranInLastRun ? "ran" : "cached", "\($0.version)", $0.seed, $0.fingerprint,
                 $0.finishedAt, ReportBuilder.seconds($0.wallSeconds)]
            }, numericColumns: [2, 6]), reportDirectory: nil, into: &page)
        let timed = info.steps.filter { !$0.phases.isEmpty }
        if !timed.isEmpty {
            page.add("<h3>Phase timings</h3>")
            let longest = max(timed.flatMap { $0.phases.map(\.seconds) }.max() ?? 0, 1e-9)
            page.add("<div class=\"table-wrap\"><table class=\"phases\"><thead><tr><th>step</th><th>phase</th><th class=\"n\">seconds</th><th></th></tr></thead><tbody>")
            for step in timed {
                for phase in step.phases {
                    let width = String(format: "%.1f", max(0.5, phase.seconds / longest * 100))
                    page.add("<tr><td>\(escape(step.name))</td><td>\(escape(phase.name))</td>"
                        + "<td class=\"n\">\(escape(ReportBuilder.seconds(phase.seconds)))</td>"
                        + "<td class=\"bar-cell\"><span class=\"bar\" style=\"width:\(width)%\"></span></td></tr>")
                }
            }
            page.add("</tbody></table></div>")
        }
        let configured = info.steps.filter { !$0.configuration.isEmpty }
        if !configured.isEmpty {
            page.add("<h3>Step configuration</h3>")
            for step in configured {
                page.add("<p class=\"small\"><b>\(escape(step.name))</b>: " + step.configuration.map {
                    "\(escape($0.label)) = <code>\(escape($0.value))</code>"
                }.joined(separator: ", ") + "</p>")
            }
        }
        page.add("</section>")
    }

    /// The page's only styling (light: about 4 kB).
    static let stylesheet = """
    :root{--ink:#1d2433;--muted:#5f6b7a;--line:#e3e7ee;--bg:#f5f7fa;--card:#fff;--accent:#2f5bd3;--accent-soft:#e9effd;--warn:#a15c00}
    *{box-sizing:border-box}
    html{scroll-behavior:smooth}
    body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
    code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em}
    code{background:#eef1f5;padding:.1em .35em;border-radius:4px}
    pre{background:#0f172a;color:#e2e8f0;padding:12px 14px;border-radius:8px;overflow-x:auto}
    pre code{background:none;padding:0;color:inherit}
    a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
    .masthead{background:linear-gradient(120deg,#1e3a8a,#2f5bd3);color:#fff;padding:36px 24px 30px}
    .masthead-inner{max-width:1240px;margin:0 auto}
    .masthead h1{margin:0 0 6px;font-size:30px;font-weight:650;letter-spacing:-.01em}
    .eyebrow{margin:0 0 4px;text-transform:uppercase;letter-spacing:.12em;font-size:12px;opacity:.8}
    .subtitle{margin:0;font-size:16px;opacity:.92}.generated{margin:6px 0 0;font-size:13px;opacity:.75}
    .layout{max-width:1240px;margin:0 auto;padding:24px;display:grid;grid-template-columns:220px minmax(0,1fr);gap:28px;align-items:start}
    .toc{position:sticky;top:16px;font-size:14px;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
    .toc-title{margin:0 0 6px;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.08em}
    .toc ol{list-style:none;margin:0;padding:0}.toc li{padding:4px 0;border-bottom:1px solid #f0f2f6}.toc li:last-child{border:0}
    .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:22px 26px;margin:0 0 22px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
    .card.pending{background:#fbfcfd;padding:16px 26px}.card.pending p{margin:0}
    h2{margin:0 0 12px;font-size:21px;font-weight:650;letter-spacing:-.01em}
    h2 .num{display:inline-block;min-width:28px;height:28px;line-height:28px;text-align:center;border-radius:8px;background:var(--accent-soft);color:var(--accent);font-size:15px;margin-right:6px;vertical-align:2px}
    h3{margin:22px 0 8px;font-size:16px;font-weight:620}
    .lead{font-size:16px;color:#2b3443}
    .muted{color:var(--muted)}.warning{color:var(--warn)}.small{font-size:13px}
    .badge{font-size:11px;border-radius:999px;padding:1px 7px;background:#eef1f5;margin-left:4px}
    .highlights{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px;margin:14px 0}
    .highlight{border:1px solid var(--line);border-radius:10px;padding:12px 14px;background:linear-gradient(180deg,#fff,#f9fafc)}
    .highlight .value{font-size:22px;font-weight:650;color:var(--accent);overflow-wrap:anywhere;line-height:1.25}
    .highlight .value.long{font-size:15px;font-weight:600}
    .highlight .label{font-size:13px;margin-top:2px}.highlight .source{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em;margin-top:4px}
    .data-line{display:flex;flex-wrap:wrap;gap:8px 18px;margin:0 0 6px;font-size:14px}.data-line b{color:var(--muted);font-weight:500;margin-right:4px}
    .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px 18px;margin:8px 0 14px}
    .facts div{border-left:3px solid var(--accent-soft);padding-left:10px}.facts dt{font-size:12px;color:var(--muted)}.facts dd{margin:0;font-weight:560;overflow-wrap:anywhere}
    .two{display:grid;grid-template-columns:1fr 1fr;gap:20px}
    figure{margin:18px 0;text-align:center}
    figure img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:8px;background:#fff}
    figcaption{font-size:13px;color:var(--muted);margin-top:6px}
    .missing{padding:30px;border:1px dashed #d6a15c;border-radius:8px;color:var(--warn);background:#fffaf2}
    .table-wrap{overflow-x:auto;margin:10px 0}
    table{border-collapse:collapse;width:auto;min-width:55%;max-width:100%;font-size:14px}
    caption{text-align:left;font-weight:600;padding:0 0 6px;font-size:14px}
    th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;background:#fafbfc}
    tbody tr:nth-child(even){background:#fbfcfe}tbody tr:hover{background:#f2f6fe}
    .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .csv{margin:2px 0 12px;font-size:13px}
    table.phases{min-width:70%}.bar-cell{width:40%}.bar{display:block;height:8px;border-radius:4px;background:var(--accent);opacity:.75}
    footer{max-width:1240px;margin:0 auto;padding:8px 24px 40px;color:var(--muted);font-size:13px}
    @media (max-width:900px){.layout{grid-template-columns:1fr}.toc{position:static}.two{grid-template-columns:1fr}}
    @media print{.toc{display:none}.layout{display:block}.card{box-shadow:none;break-inside:avoid-page}}
    """
}

/// Accumulates page lines.
struct HTMLPage {
    var text = ""
    mutating func add(_ line: String) {
        text += line
        text += "\n"
    }
}
