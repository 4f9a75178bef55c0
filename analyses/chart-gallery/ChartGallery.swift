import ArgumentParser
import ChartRenderer
import Charts
import Foundation

/// Writes one example of every chart kind, and measures drawing speed.
@main
struct ChartGallery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart-gallery",
        abstract: "Write one PNG of every chart kind (synthetic data), or time drawing many charts.")

    @Option(name: .long, help: "Folder for the PNG files.")
    var out: String = "gallery"

    @Option(name: .long, help: "Render the gallery charts round-robin this many times (to memory) and report the time.")
    var benchmark: Int?

    @Option(name: .long, help: "Device pixels per logical pixel.")
    var scale: Double = ChartRenderer.defaultScale

    func run() throws {
        let charts = GalleryCharts.all()
        if let count = benchmark {
            guard count > 0 else { throw ValidationError("--benchmark must be positive, got \(count)") }
            try runBenchmark(charts, count: count)
            return
        }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        let jobs = charts.map { ChartJob($0.figure, to: folder.appendingPathComponent("\($0.name).png")) }
        let start = DispatchTime.now().uptimeNanoseconds
        try ChartRenderer.writeAll(jobs, scale: scale)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("wrote \(jobs.count) charts to \(folder.path) in \(String(format: "%.2f", seconds)) s (font: \(ChartRenderer.usesTrueTypeFont ? "TrueType" : "built-in"))")
    }

    func runBenchmark(_ charts: [(name: String, figure: any ChartFigure)], count: Int) throws {
        let figures = (0..<count).map { charts[$0 % charts.count].figure }
        _ = try ChartRenderer.pngData(figures[0], scale: scale)   // warm-up: fonts and glyph cache
        var serial = Double.infinity, parallel = Double.infinity
        var bytes = 0
        for _ in 0..<3 {
            var start = DispatchTime.now().uptimeNanoseconds
            bytes = 0
            for f in figures { bytes += try ChartRenderer.pngData(f, scale: scale).count }
            serial = min(serial, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chart-bench-\(ProcessInfo.processInfo.processIdentifier)")
            let jobs = figures.enumerated().map { ChartJob($1, to: folder.appendingPathComponent("c\($0).png")) }
            start = DispatchTime.now().uptimeNanoseconds
            try ChartRenderer.writeAll(jobs, scale: scale)
            parallel = min(parallel, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            try? FileManager.default.removeItem(at: folder)
        }
        print("\(count) charts at \(scale)×: serial to memory \(String(format: "%.3f", serial)) s (\(String(format: "%.1f", serial / Double(count) * 1000)) ms each), " +
              "writeAll to files \(String(format: "%.3f", parallel)) s; \(bytes / count / 1024) KiB per PNG (best of 3)")
    }
}
