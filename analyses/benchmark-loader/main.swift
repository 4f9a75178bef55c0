import ArgumentParser
import Dispatch
import Foundation
import SegmentData

/// Measures the competition-file loader: MB/s over both files (median of repeats) and peak RSS.
@main
struct BenchmarkLoader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-loader",
        abstract: "Time WatchDataLoader.load on a train and a test file (plain or gzipped)."
    )

    @Option(help: "Path of the train file (train_data.json or .json.gz).")
    var train: String

    @Option(help: "Path of the test file (test_data.json or .json.gz).")
    var test: String

    @Option(name: .customLong("repeat"), help: "Number of timed loads; the median is reported.")
    var repeatCount: Int = 3

    @Flag(help: "Skip invalid records instead of failing.")
    var skipInvalid = false

    @Flag(help: "Also time the two files loaded one after the other on one core.")
    var serial = false

    func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1, got \(repeatCount)") }
    }

    func run() throws {
        let trainURL = URL(fileURLWithPath: train)
        let testURL = URL(fileURLWithPath: test)
        let diskByteCount = try [train, test].reduce(0) { total, path in
            total + ((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        // Throughput counts JSON bytes: a gzipped file is inflated once here (untimed) to learn its size.
        let byteCount = try [train, test].reduce(0) { total, path in
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            return total + (Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, name: path).count : bytes.count)
        }
        let options = LoadOptions(skipInvalid: skipInvalid)
        var data: WatchData?
        var timings: [Double] = []
        var cpuTimings: [Double] = []
        var serialTimings: [Double] = []
        var serialCPUTimings: [Double] = []
        for _ in 0 ..< repeatCount {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = processCPUSeconds()
            data = nil  // measure one load's peak memory, not two
            data = try WatchDataLoader.load(train: trainURL, test: testURL, options: options)
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpuTimings.append(processCPUSeconds() - cpuStart)
            if serial {
                let serialCPUStart = processCPUSeconds()
                let serialStart = DispatchTime.now().uptimeNanoseconds
                var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
                var quality = LoadQuality()
                _ = try WatchDataLoader.loadTable(from: trainURL, labelled: true, titles: &titles, genres: &genres,
                                                  cities: &cities, options: options, quality: &quality)
                _ = try WatchDataLoader.loadTable(from: testURL, labelled: false, titles: &titles, genres: &genres,
                                                  cities: &cities, options: options, quality: &quality)
                serialTimings.append(Double(DispatchTime.now().uptimeNanoseconds - serialStart) / 1e9)
                serialCPUTimings.append(processCPUSeconds() - serialCPUStart)
            }
        }
        guard let data else { return }
        print(DataSummary(data))
        let megabytes = Double(byteCount) / 1e6
        let median = timings.sorted()[timings.count / 2]
        print(String(format: "files: %.1f MB of JSON (%.1f MB on disk)", megabytes, Double(diskByteCount) / 1e6))
        print(String(format: "load (train ∥ test): median %.3f s over %d runs → %.0f MB/s (best %.3f s)",
                     median, timings.count, megabytes / median, timings.min() ?? median))
        let cpuMedian = cpuTimings.sorted()[cpuTimings.count / 2]
        print(String(format: "  CPU time (both threads): median %.3f s → %.0f MB per CPU-second (best %.3f s)", cpuMedian, megabytes / cpuMedian, cpuTimings.min() ?? cpuMedian))
        if !serialTimings.isEmpty {
            let serialMedian = serialTimings.sorted()[serialTimings.count / 2]
            let serialCPUMedian = serialCPUTimings.sorted()[serialCPUTimings.count / 2]
            print(String(format: "load (one core, train then test): median %.3f s → %.0f MB/s; CPU %.3f s → %.0f MB per CPU-second",
                         serialMedian, megabytes / serialMedian, serialCPUMedian, megabytes / serialCPUMedian))
        }
        print(String(format: "machine load average at the end: %@", loadAverage()))
        print("peak RSS: \(peakResidentMegabytes().map { String(format: "%.0f MB", $0) } ?? "unknown")")
    }

    /// User plus system CPU time of the whole process (all threads), in seconds.
    func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// The first three fields of /proc/loadavg (the machine is shared, so timings depend on it).
    func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// `VmHWM` from /proc/self/status (Linux), in MB.
    func peakResidentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Double($0) }
            if let kilobytes = digits.first { return kilobytes * 1024 / 1e6 }
        }
        return nil
    }
}
