import ArgumentParser
import Dispatch
import Evaluation
import Foundation
import Learning

/// Fits our learners on a labelled train CSV, scores a test CSV, and prints one JSON object:
/// test AUC, log-loss and fit seconds (median of `--repeats` fits) per learner, and the k-means
/// inertia per k. Settings follow `/work/shared/benchmarks/README.md`.
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Benchmark logistic regression, k-means and gradient boosting on labelled CSV files.")

    @Option(help: "Training CSV: 0/1 label first, numeric features, no header.")
    var train: String

    @Option(help: "Test CSV in the same layout.")
    var test: String

    @Option(help: "Fits per learner; the median time is reported.")
    var repeats: Int = 3

    @Option(help: "Smallest k of the k-means sweep.")
    var minClusters: Int = 2

    @Option(help: "Largest k of the k-means sweep.")
    var maxClusters: Int = 10

    @Option(help: "Seed for k-means++ and gradient boosting.")
    var seed: UInt64 = 0

    @Option(help: "Threads for gradient boosting (default: every core).")
    var boostingThreads: Int?

    @Flag(help: "Skip gradient boosting.")
    var skipBoosting = false

    @Option(help: "Gradient boosting's number of rounds (trees).")
    var roundCount: Int = 100

    @Option(help: "Gradient boosting's minimum rows per leaf.")
    var minDataInLeaf: Int = 20

    @Option(help: "Gradient boosting's L2 penalty on leaf values.")
    var lambdaL2: Double = 0

    @Option(help: "Gradient boosting's feature fraction per tree.")
    var featureFraction: Double = 1

    @Option(help: "Gradient boosting's bagging fraction (with --bagging-frequency > 0).")
    var baggingFraction: Double = 1

    @Option(help: "Gradient boosting resamples its bag every this many rounds (0: no bagging).")
    var baggingFrequency: Int = 0

    @Option(help: "Gradient boosting's GOSS top rate a (with --goss-other-rate; excludes bagging).")
    var gossTopRate: Double?

    @Option(help: "Gradient boosting's GOSS other rate b (with --goss-top-rate).")
    var gossOtherRate: Double?

    @Option(help: "Stop boosting when the test log-loss has not improved for this many rounds (the test set becomes the validation set).")
    var earlyStoppingRounds: Int?

    @Option(help: "Write the last boosting model and its test probabilities as JSON to this file (to compare fits bit for bit).")
    var boostingOutput: String?

    @Flag(help: "Skip logistic regression and k-means (time gradient boosting only).")
    var boostingOnly = false

    mutating func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard minClusters >= 1, maxClusters >= minClusters else {
            throw ValidationError("--min-clusters \(minClusters) / --max-clusters \(maxClusters) is not a range of k ≥ 1")
        }
        guard (gossTopRate == nil) == (gossOtherRate == nil) else {
            throw ValidationError("--goss-top-rate and --goss-other-rate go together; got only one")
        }
    }

    func run() throws {
        let trainTable = try readLabelledCSV(path: train)
        let testTable = try readLabelledCSV(path: test)
        guard trainTable.features.columnCount == testTable.features.columnCount else {
            throw ValidationError("\(train) has \(trainTable.features.columnCount) features but \(test) has \(testTable.features.columnCount)")
        }
        var report = BenchmarkReport(
            train: train, test: test, trainRowCount: trainTable.labels.count, testRowCount: testTable.labels.count,
            featureCount: trainTable.features.columnCount, repeats: repeats, learners: [:], kMeans: nil)

        if !boostingOnly { try benchmarkLogisticRegression(trainTable, testTable, into: &report) }
        if !skipBoosting { try benchmarkBoosting(trainTable, testTable, into: &report) }
        if !boostingOnly { try benchmarkKMeans(trainTable, into: &report) }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    private func benchmarkLogisticRegression(_ trainTable: LabelledTable, _ testTable: LabelledTable,
                                             into report: inout BenchmarkReport) throws {
        // Logistic regression: standardised, L2, C = 1.
        let logistic = try LogisticRegression(inverseRegularization: 1, standardize: true)
        let (logisticModel, logisticSeconds) = try timedMedian(repeats) {
            try logistic.fit(features: trainTable.features, labels: trainTable.labels)
        }
        report.learners["logistic_regression"] = score(logisticModel, seconds: logisticSeconds, on: testTable,
                                                       iterations: logisticModel.iterationCount)
    }

    /// Gradient boosting with LightGBM's settings: 31 leaves, learning rate 0.1, 100 rounds (by default), 255 bins.
    private func benchmarkBoosting(_ trainTable: LabelledTable, _ testTable: LabelledTable,
                                   into report: inout BenchmarkReport) throws {
        let goss = try gossTopRate.map { try GradientOneSideSampling(topRate: $0, otherRate: gossOtherRate ?? 0) }
        let boosting = try GradientBoostingClassifier(parameters: GradientBoostingParameters(
            leafCount: 31, minDataInLeaf: minDataInLeaf, lambdaL2: lambdaL2, learningRate: 0.1,
            roundCount: roundCount, featureFraction: featureFraction,
            baggingFraction: baggingFraction, baggingFrequency: baggingFrequency, gradientOneSideSampling: goss,
            earlyStoppingRounds: earlyStoppingRounds, maxBinCount: 255, seed: seed, threadCount: boostingThreads))
        let validation = earlyStoppingRounds == nil ? nil : (testTable.features, testTable.labels)
        let (boostingModel, boostingSeconds) = try timedMedian(repeats) {
            try boosting.fit(features: trainTable.features, labels: trainTable.labels, validation: validation)
        }
        report.learners["gradient_boosting"] = score(boostingModel, seconds: boostingSeconds, on: testTable,
                                                     iterations: nil)
        if let boostingOutput {
            let saved = SavedBoostingFit(model: boostingModel,
                                         testProbabilities: boostingModel.predictProbability(testTable.features))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(saved).write(to: URL(fileURLWithPath: boostingOutput))
        }
    }

    private func benchmarkKMeans(_ trainTable: LabelledTable, into report: inout BenchmarkReport) throws {
        // k-means sweep on standardised training features, one k-means++ start per k.
        let standardizer = Standardizer(fitting: trainTable.features)
        let standardized = standardizer.transform(trainTable.features)
        let clock = ContinuousClock()
        let started = clock.now
        let sweep = try KMeans.sweep(standardized, clusterCounts: minClusters ... maxClusters, initCount: 1, seed: seed)
        let sweepSeconds = (clock.now - started).seconds
        report.kMeans = KMeansReport(
            clusterCounts: sweep.clusterCounts, inertias: sweep.inertias,
            iterationCounts: sweep.models.map(\.iterationCount), kneeClusterCount: sweep.kneeClusterCount,
            sweepSeconds: sweepSeconds)
    }

    private func score(_ model: any BinaryClassifier, seconds: Double, on table: LabelledTable,
                       iterations: Int?) -> LearnerReport {
        let probabilities = model.predictProbability(table.features)
        return LearnerReport(
            testAUC: rocAUC(scores: probabilities, labels: table.labels),
            testLogLoss: logLoss(probabilities: probabilities, labels: table.labels),
            fitSeconds: seconds, iterationCount: iterations)
    }
}

/// Runs `body` `count` times and returns the last result with the median wall time in seconds.
func timedMedian<T>(_ count: Int, _ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    var times = [Double]()
    var result: T?
    for _ in 0 ..< count {
        let start = clock.now
        result = try body()
        times.append((clock.now - start).seconds)
    }
    times.sort()
    return (result!, times[times.count / 2])
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}

/// A fitted boosting model with its test probabilities, written by `--boosting-output`.
struct SavedBoostingFit: Encodable {
    var model: GradientBoostingModel
    var testProbabilities: [Double]
}

struct LearnerReport: Encodable {
    var testAUC: Double
    var testLogLoss: Double
    var fitSeconds: Double
    var iterationCount: Int?
}

struct KMeansReport: Encodable {
    var clusterCounts: [Int]
    var inertias: [Double]
    var iterationCounts: [Int]
    var kneeClusterCount: Int?
    var sweepSeconds: Double
}

struct BenchmarkReport: Encodable {
    var train: String
    var test: String
    var trainRowCount: Int
    var testRowCount: Int
    var featureCount: Int
    var repeats: Int
    var learners: [String: LearnerReport]
    var kMeans: KMeansReport?
}

Benchmark.main()
