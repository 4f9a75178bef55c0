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

    @Flag(name: .long, help: "Print layout and rendering time per gallery chart.")
    var profile = false

    @Option(name: .long, help: "Device pixels per logical pixel.")
    var scale: Double = ChartRenderer.defaultScale

    @Option(name: .long, help: "PNG encoder for --benchmark: libgd or direct.")
    var encoder: String = "libgd"

    /// The encoder named by `--encoder`.
    func pngEncoder() throws -> PNGEncoder {
        switch encoder {
        case "libgd": return .libgd
        case "direct": return .direct
        default: throw ValidationError("--encoder must be libgd or direct, got \(encoder)")
        }
    }

    func run() throws {
        let charts = GalleryCharts.all()
        if profile {
            for (name, figure) in charts {
                func time(_ body: () throws -> Void) rethrows -> Double {
                    let start = DispatchTime.now().uptimeNanoseconds
                    try body()
                    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                }
                _ = try ChartRenderer.pngData(figure, scale: scale)
                let layout = time { _ = ChartRenderer.scene(figure, scale: scale) }
                let full = try time { _ = try ChartRenderer.pngData(figure, scale: scale) }
                let gd = try time { _ = try ChartRenderer.pngData(figure, scale: scale, encoder: .libgd) }
                let sizeDirect = try ChartRenderer.pngData(figure, scale: scale).count / 1024
                let sizeGD = try ChartRenderer.pngData(figure, scale: scale, encoder: .libgd).count / 1024
                print("\(name.padding(toLength: 30, withPad: " ", startingAt: 0)) layout \(String(format: "%6.1f", layout)) ms, total \(String(format: "%6.1f", full)) ms (\(sizeDirect) KiB), with libgd's PNG \(String(format: "%6.1f", gd)) ms (\(sizeGD) KiB)")
            }
            return
        }
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
        let pngEncoder = try pngEncoder()
        _ = try ChartRenderer.pngData(figures[0], scale: scale, encoder: pngEncoder)   // warm-up: fonts and glyph cache
        func cpuSeconds() -> Double {
            Double(clock()) / Double(CLOCKS_PER_SEC)   // process CPU time, all threads
        }
        var serial = Double.infinity, parallel = Double.infinity, serialCPU = Double.infinity
        var bytes = 0
        for _ in 0..<3 {
            var start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = cpuSeconds()
            bytes = 0
            for f in figures { bytes += try ChartRenderer.pngData(f, scale: scale, encoder: pngEncoder).count }
            serial = min(serial, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            serialCPU = min(serialCPU, cpuSeconds() - cpuStart)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chart-bench-\(ProcessInfo.processInfo.processIdentifier)")
            let jobs = figures.enumerated().map { ChartJob($1, to: folder.appendingPathComponent("c\($0).png")) }
            start = DispatchTime.now().uptimeNanoseconds
            try ChartRenderer.writeAll(jobs, scale: scale)
            parallel = min(parallel, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            try? FileManager.default.removeItem(at: folder)
        }
        print("\(count) charts at \(scale)×: serial to memory \(String(format: "%.3f", serial)) s (\(String(format: "%.1f", serial / Double(count) * 1000)) ms each; CPU \(String(format: "%.3f", serialCPU)) s), " +
              "writeAll to files \(String(format: "%.3f", parallel)) s; \(bytes / count / 1024) KiB per PNG (best of 3)")
    }
}
