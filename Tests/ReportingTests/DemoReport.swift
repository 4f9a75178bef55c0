import Foundation
@testable import Reporting
import Testing

/// A minimal PNG encoder (RGB, stored deflate blocks) so the demo report has real images
/// without libgd. Test-only.
enum TinyPNG {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0 ..< 8 { crc = (crc >> 1) ^ (0xedb8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return (b << 16) | a
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
    }

    /// Encodes `pixel(x, y) -> (r, g, b)`.
    static func encode(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> Data {
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (width * 3 + 1))
        for y in 0 ..< height {
            raw.append(0)
            for x in 0 ..< width {
                let (r, g, b) = pixel(x, y)
                raw += [r, g, b]
            }
        }
        var deflate: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let size = min(65535, raw.count - offset)
            let final: UInt8 = offset + size == raw.count ? 1 : 0
            deflate += [final, UInt8(size & 0xff), UInt8(size >> 8), UInt8(~size & 0xff), UInt8((~size >> 8) & 0xff)]
            deflate += raw[offset ..< offset + size]
            offset += size
        } while offset < raw.count
        deflate += bigEndian(adler32(raw))
        var png: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        png += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0])
        png += chunk("IDAT", deflate)
        png += chunk("IEND", [])
        return Data(png)
    }

    /// A bar chart-like picture with `values` in 0…1.
    static func bars(_ values: [Double], width: Int = 640, height: Int = 360) -> Data {
        let plotLeft = 50, plotBottom = height - 40, plotTop = 20
        let slot = (width - plotLeft - 20) / max(values.count, 1)
        return encode(width: width, height: height) { x, y in
            if x == plotLeft || y == plotBottom { return (90, 96, 110) }
            if y > plotTop, y < plotBottom, (plotBottom - y) % 60 == 0, x > plotLeft { return (228, 231, 238) }
            let index = (x - plotLeft - 6) / max(slot, 1)
            if x > plotLeft, index >= 0, index < values.count, (x - plotLeft - 6) % slot < slot - 8 {
                let top = plotBottom - Int(values[index] * Double(plotBottom - plotTop))
                if y >= top && y < plotBottom { return index % 2 == 0 ? (47, 91, 211) : (242, 142, 43) }
            }
            return (255, 255, 255)
        }
    }
}

/// Writes a realistic report from fake sections: into `PTS_DEMO_REPORT_DIR` when set (used by
/// `scripts/screenshot-report.sh --demo`), else into a temporary folder. Checks the result.
@Test func demoReportFromFakeSections() throws {
    let environment = ProcessInfo.processInfo.environment["PTS_DEMO_REPORT_DIR"]
    let folder = environment.map { URL(fileURLWithPath: $0, isDirectory: true) }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("demo-report-\(UUID().uuidString)")
    defer { if environment == nil { try? FileManager.default.removeItem(at: folder) } }
    let fileManager = FileManager.default
    for step in ["eda", "clustering", "features", "models"] {
        try fileManager.createDirectory(at: folder.appendingPathComponent(step), withIntermediateDirectories: true)
    }
    try TinyPNG.bars([0.62, 0.2, 0.45, 0.33, 0.8, 0.12, 0.55, 0.4]).write(to: folder.appendingPathComponent("eda/genre-rate.png"))
    try TinyPNG.bars([0.1, 0.3, 0.5, 0.9, 0.7, 0.4]).write(to: folder.appendingPathComponent("eda/watch-time.png"))
    try TinyPNG.bars([0.5, 0.8, 0.3, 0.6]).write(to: folder.appendingPathComponent("clustering/elbow.png"))
    try TinyPNG.bars([0.81, 0.83, 0.79, 0.74]).write(to: folder.appendingPathComponent("models/roc.png"))
    try Data("title,users,lift\n".utf8).write(to: folder.appendingPathComponent("eda/title-lift.csv"))

    let sections = [
        SectionDocument(
            step: "eda", title: "Exploratory data analysis",
            summary: "Cricket is watched by 60 % of neg users but only 20 % of pos users; pos users watch more drama, romance and late-night TV.",
            blocks: [
                .heading("Who watches what"),
                .paragraph("The positive rate by genre spans a factor of four: from 3.1 % among Cricket viewers to 12.8 % among Romance viewers."),
                .figure(.init(path: "eda/genre-rate.png", caption: "Positive rate by genre (share of users watching the genre)")),
                .table(.init(caption: "Titles with the highest lift (≥ 200 viewers)", columns: ["title", "viewers", "pos rate", "lift"],
                             rows: [["Yeh Rishta Kya Kehlata Hai", "12,408", "14.2 %", "1.86"],
                                    ["Kya <Kehna> & \"Friends\" | Ep 1", "3,115", "12.9 %", "1.69"],
                                    ["MS Dhoni: The Untold Story", "8,042", "4.1 %", "0.54"]],
                             numericColumns: [1, 2, 3], csvPath: "eda/title-lift.csv")),
                .figure(.init(path: "eda/watch-time.png", caption: "Total watch time per user (log scale)")),
                .list(["46 train users have no titles", "Cities: 1,350 distinct, long international tail"]),
            ],
            highlights: [.init(label: "Train / test users", value: "200,000 / 100,000"), .init(label: "Positive rate", value: "7.63 %")]),
        SectionDocument(
            step: "clustering", title: "Viewer clusters",
            summary: "k-means on genre shares picks k = 6; the drama-heavy cluster has twice the average positive rate.",
            blocks: [.figure(.init(path: "clustering/elbow.png", caption: "Within-cluster sum of squares by k"))],
            highlights: [.init(label: "Chosen k", value: "6")]),
        SectionDocument(
            step: "models", title: "Models and cross-validation",
            summary: "Gradient boosting on genre, hour and day seconds plus title TF-IDF reaches a 5-fold CV AUC of 0.8312.",
            blocks: [
                .table(.init(caption: "5-fold cross-validated ROC AUC", columns: ["model", "AUC", "± sd", "fit time"],
                             rows: [["gradient boosting", "0.8312", "0.0021", "41.2 s"], ["logistic regression (TF-IDF)", "0.8254", "0.0019", "12.9 s"],
                                    ["naive Bayes", "0.7903", "0.0025", "0.8 s"]], numericColumns: [1, 2, 3])),
                .figure(.init(path: "models/roc.png", caption: "ROC curves, out-of-fold")),
            ],
            highlights: [.init(label: "Best CV AUC", value: "0.8312"), .init(label: "Top features", value: "Cricket, Drama, hour 1"),
                         .init(label: "Predictions", value: "reports/predict/submission.csv")]),
    ]
    for section in sections {
        try JSONEncoder().encode(section).write(to: folder.appendingPathComponent("\(section.step)/section.json"))
    }
    let steps = [ReportedStep(name: "eda", title: "Exploratory data analysis"), ReportedStep(name: "clustering", title: "Viewer clusters"),
                 ReportedStep(name: "features", title: "Features"), ReportedStep(name: "models", title: "Models"),
                 ReportedStep(name: "importance", title: "Feature importance")]
    let input = ReportInput(
        subtitle: "Predicting the pos segment of Hotstar viewers from watch histories · data: built-in synthetic data (full) · seed 2017",
        generatedAt: "2026-11-29T05:30:00Z",
        sections: ReportBuilder.readSections(in: folder, steps: steps),
        data: DataOverview(
            facts: [Fact("Train users", "200,000"), Fact("Test users", "100,000"), Fact("Positive rate (train)", "7.63 % (15,255 pos)"),
                    Fact("Distinct titles / genres / cities", "12,104 / 35 / 1,352"), Fact("Parse time", "1.84 s")],
            coverageRows: [["titles", "99.98 %", "99.99 %"], ["genres", "100.00 %", "100.00 %"], ["cities", "100.00 %", "100.00 %"]],
            skipped: [], skippedExamples: []),
        reproduction: ReproductionInfo(
            tool: [Fact("Tool", "PredictTheSegment 0.1.0"), Fact("Swift", "6.3+"), Fact("Platform", "Linux")],
            configuration: [Fact("Seed", "2017"), Fact("Train", "builtin"), Fact("Test", "builtin"), Fact("Skip invalid records", "no")],
            command: "swift run analyze --seed 2017",
            inputs: [.init(role: "train", path: "data/builtin/train_data.json", byteCount: 106_500_000, hash: "5f0c2a9e71d4b388"),
                     .init(role: "test", path: "data/builtin/test_data.json", byteCount: 53_200_000, hash: "c1e07d2b9a3f6e14")],
            steps: [
                .init(name: "eda", title: "EDA", ranInLastRun: true, version: 1, seed: "8c1f2e0a9b7d6c53", fingerprint: "a1b2c3d4e5f6",
                      finishedAt: "2026-11-29T05:29:10Z", wallSeconds: 6.4,
                      phases: [(name: "statistics", seconds: 2.1), (name: "charts", seconds: 4.3)], configuration: []),
                .init(name: "clustering", title: "Clusters", ranInLastRun: false, version: 1, seed: "1d2c3b4a59687f0e", fingerprint: "0f9e8d7c6b5a",
                      finishedAt: "2026-11-29T04:10:00Z", wallSeconds: 18.0,
                      phases: [(name: "k-means", seconds: 15.5), (name: "charts", seconds: 2.5)], configuration: [Fact("k range", "2...12")]),
                .init(name: "models", title: "Models", ranInLastRun: true, version: 2, seed: "77aa66bb55cc44dd", fingerprint: "123456abcdef",
                      finishedAt: "2026-11-29T05:29:58Z", wallSeconds: 48.0,
                      phases: [(name: "cross-validation", seconds: 41.2), (name: "charts", seconds: 1.0)], configuration: [Fact("folds", "5")]),
            ]))
    try ReportBuilder.write(input, to: folder)
    let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains("0.8312") && html.contains("Feature importance") && !html.contains("<Kehna>"))
    #expect(ReportBuilder.linkableFile("eda/genre-rate.png", in: folder))
}
