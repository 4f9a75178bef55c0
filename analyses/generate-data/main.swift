import ArgumentParser
import Foundation
import SyntheticData

/// Writes the built-in synthetic stand-in for the competition files.
@main
struct GenerateData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-data",
        abstract: "Write a deterministic synthetic train_data.json, test_data.json and sample_submission.csv.",
        discussion: """
        The files follow the 2017 "Predict the Segment – Hotstar" format exactly and match the real data's \
        profile (see ../shared/hotstar-reference). The same options and seed always give the same bytes.
        """)

    @Option(name: .long, help: "Output directory (created if needed).")
    var out: String = "data/builtin"

    @Option(name: .customLong("train-users"), help: "Number of train users.")
    var trainUsers: Int = SyntheticConfiguration.fullScale.trainUserCount

    @Option(name: .customLong("test-users"), help: "Number of test users.")
    var testUsers: Int = SyntheticConfiguration.fullScale.testUserCount

    @Option(name: .long, help: "Distinct titles (default: 12,000 at full scale, fewer for smaller data sets).")
    var titles: Int?

    @Option(name: .long, help: "Distinct cities (default: 1,380 at full scale, fewer for smaller data sets).")
    var cities: Int?

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 2017

    @Flag(name: .long, help: "Reuse the directory when it already holds this data set (marker check).")
    var reuse = false

    mutating func run() throws {
        let isFull = trainUsers == SyntheticConfiguration.fullScale.trainUserCount
            && testUsers == SyntheticConfiguration.fullScale.testUserCount
        let defaults = isFull ? SyntheticConfiguration.fullScale : .small(trainUserCount: trainUsers, testUserCount: testUsers)
        let configuration: SyntheticConfiguration
        do {
            configuration = try SyntheticConfiguration(trainUserCount: trainUsers, testUserCount: testUsers,
                                                       titleCount: titles ?? defaults.titleCount,
                                                       cityCount: cities ?? defaults.cityCount)
        } catch {
            throw ValidationError("\(error)")
        }
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let start = Date()
        let files = reuse
            ? try BuiltinDataset.ensure(in: directory, configuration: configuration, seed: seed)
            : try SyntheticGenerator(configuration: configuration, seed: seed).write(to: directory)
        let seconds = Date().timeIntervalSince(start)
        print("generated \(configuration) with seed \(seed) in \(String(format: "%.1f", seconds)) s:")
        for url in [files.train, files.test, files.sampleSubmission] {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            print("  \(url.path)  \(String(format: "%.1f", Double(size) / 1_048_576)) MB")
        }
    }
}
