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
        let byteCount = try [train, test].reduce(0) { total, path in
            total + ((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        let options = LoadOptions(skipInvalid: skipInvalid)
        var data: WatchData?
        var timings: [Double] = []
        var serialTimings: [Double] = []
        for _ in 0 ..< repeatCount {
            let start = DispatchTime.now().uptimeNanoseconds
            data = try WatchDataLoader.load(train: trainURL, test: testURL, options: options)
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            if serial {
                let serialStart = DispatchTime.now().uptimeNanoseconds
                var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
                var quality = LoadQuality()
                _ = try WatchDataLoader.loadTable(from: trainURL, labelled: true, titles: &titles, genres: &genres,
                                                  cities: &cities, options: options, quality: &quality)
                _ = try WatchDataLoader.loadTable(from: testURL, labelled: false, titles: &titles, genres: &genres,
                                                  cities: &cities, options: options, quality: &quality)
                serialTimings.append(Double(DispatchTime.now().uptimeNanoseconds - serialStart) / 1e9)
            }
        }
        guard let data else { return }
        print(DataSummary(data))
        let megabytes = Double(byteCount) / 1e6
        let median = timings.sorted()[timings.count / 2]
        print(String(format: "files: %.1f MB on disk", megabytes))
        print(String(format: "load (train ∥ test): median %.3f s over %d runs → %.0f MB/s (best %.3f s)",
                     median, timings.count, megabytes / median, timings.min() ?? median))
        if !serialTimings.isEmpty {
            let serialMedian = serialTimings.sorted()[serialTimings.count / 2]
            print(String(format: "load (one core, train then test): median %.3f s → %.0f MB/s",
                         serialMedian, megabytes / serialMedian))
        }
        print("peak RSS: \(peakResidentMegabytes().map { String(format: "%.0f MB", $0) } ?? "unknown")")
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
