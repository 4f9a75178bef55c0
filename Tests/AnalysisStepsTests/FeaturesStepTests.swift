import Core
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData
import SyntheticData
import Testing
@testable import AnalysisSteps

/// Small random watch data for step tests (labels depend on a "Cricket" genre so AUCs are > 0.5).
func featuresTestData(trainCount: Int = 1200, testCount: Int = 300, seed: UInt64 = 5) -> WatchData {
    var rng = SeededGenerator(seed: seed)
    var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
    for g in ["Cricket", "Drama", "Romance", "Comedy", "Table Tennis"] { genres.intern(g) }
    func table(_ n: Int, prefix: String, labelled: Bool) -> UserTable {
        var t = UserTable()
        var segments: [Segment] = []
        for i in 0 ..< n {
            t.ids.append("\(prefix)-\(i + 1)")
            let cricket = rng.nextUnitDouble() < 0.5
            let pos = rng.nextUnitDouble() < (cricket ? 0.03 : 0.2)
            segments.append(pos ? .pos : .neg)
            var items: [Int32] = [], secs: [Int32] = []
            for _ in 0 ..< 1 + rng.nextIndex(below: 5) {
                let code = titles.intern("T\(rng.nextIndex(below: 300))")
                if !items.contains(code) { items.append(code); secs.append(Int32(rng.nextIndex(below: 3000))) }
            }
            t.titles.appendUser(items: items, seconds: secs)
            let g = cricket ? Int32(0) : Int32(1 + rng.nextIndex(below: 4))
            t.genres.appendUser(items: [g], seconds: [Int32(100 + rng.nextIndex(below: 900))])
            t.cities.appendUser(items: [cities.intern("c\(rng.nextIndex(below: 30))")], seconds: [100])
            let evening = cricket ? 20 : (pos ? 1 : 14)
            t.hourSeconds += (0 ..< 24).map { $0 == evening ? 300 : ($0 == rng.nextIndex(below: 24) ? 60 : 0) }
            t.daySeconds += (1 ... 7).map { $0 == 1 + rng.nextIndex(below: 7) ? 200 : 10 }
        }
        t.segments = labelled ? segments : nil
        return t
    }
    let train = table(trainCount, prefix: "train", labelled: true)
    let test = table(testCount, prefix: "test", labelled: false)
    return WatchData(train: train, test: test, titles: titles, genres: genres, cities: cities)
}

/// The small built-in data set (4,000 train and 2,000 test users), generated once per seed into
/// the temporary folder and loaded with the real loader.
func builtinSmallData(seed: UInt64 = 2017) throws -> WatchData {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pts-features-tests-builtin-small-\(seed)")
    let files = try BuiltinDataset.ensure(in: directory, configuration: .small(), seed: seed)
    return try WatchDataLoader.load(train: files.train, test: files.test)
}

/// A step context over a temporary report folder.
func makeStepContext(step: String, reportDirectory: URL, data: WatchData) throws -> StepContext {
    let output = reportDirectory.appendingPathComponent(".tmp-\(step)", isDirectory: true)
    let artifacts = reportDirectory.appendingPathComponent(".artifacts/.tmp-\(step)", isDirectory: true)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    return StepContext(stepName: step, seed: 42, reportDirectory: reportDirectory, outputDirectory: output,
                       artifactDirectory: artifacts, options: StepOptions(out: reportDirectory.path, seed: 42),
                       declaredUpstream: StepRegistry.step(named: step).map { type(of: $0).upstreamNames } ?? [], data: { data })
}

@Suite struct FeaturesStepTests {
    @Test func writesReadableArtifactsAndSection() throws {
        let data = featuresTestData()
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("features-step-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        // Stand-in clustering artifacts: 3 clusters by row number.
        let clusterDir = report.appendingPathComponent(".artifacts/clustering", isDirectory: true)
        try FileManager.default.createDirectory(at: clusterDir, withIntermediateDirectories: true)
        for (table, file) in [(data.train, ClusterArtifacts.trainFile), (data.test, ClusterArtifacts.testFile)] {
            let n = table.userCount
            let features = ClusterArtifacts.features(assignments: (0 ..< n).map { $0 % 3 },
                                                     distances: (0 ..< n * 3).map { Float($0 % 7) }, clusterCount: 3)
            try MatrixArtifact.write(features, rowIDs: table.ids, to: clusterDir.appendingPathComponent(file))
        }
        let context = try makeStepContext(step: "features", reportDirectory: report, data: data)
        try FeaturesStep().run(in: context)

        let dense = try FeatureArtifacts.loadDense(from: context.artifactDirectory)
        #expect(dense.train.matrix.rowCount == 1200 && dense.test.matrix.rowCount == 300)
        #expect(dense.train.columns(of: [.cluster]).count == 6)
        #expect(dense.train.column(named: "genre_share:Table Tennis") != nil)
        #expect(dense.train.columns(of: [.titleTarget]).isEmpty)
        let latent = FeaturesStep().latentTastes
        #expect(dense.train.columns(of: [.latentTaste]).count == latent.svdComponentCount + latent.topicCount)
        #expect(dense.test.columns(of: [.latentTaste]).count == latent.svdComponentCount + latent.topicCount)
        let header = try MatrixArtifact.readHeader(from: context.artifactDirectory.appendingPathComponent(FeatureArtifacts.denseTrainFile))
        #expect(header.header.rowIDs == data.train.ids)
        for kind in FeatureArtifacts.SparseKind.allCases {
            let sparse = try FeatureArtifacts.loadSparse(kind, from: context.artifactDirectory)
            #expect(sparse.train.rowCount == 1200 && sparse.test.rowCount == 300)
            #expect(sparse.train.columnCount > 0)
        }
        let section = try JSONDecoder().decode(SectionDocument.self,
                                               from: Data(contentsOf: context.outputDirectory.appendingPathComponent("section.json")))
        #expect(section.step == "features")
        let tables = section.blocks.compactMap { if case .table(let t) = $0 { t } else { nil } }
        #expect(tables.first?.rows.contains { $0.first == FeatureFamily.titleTarget.title } == true)
        #expect(tables.first?.rows.contains { $0.first == FeatureFamily.latentTaste.title } == true)
        // The planted signal: a cricket column is among the strongest.
        let strongest = tables.first { $0.caption.hasPrefix("The 20 columns") }
        #expect(strongest?.rows.prefix(5).contains { $0[0].contains("Cricket") } == true)
        #expect(FileManager.default.fileExists(atPath: context.outputDirectory.appendingPathComponent("columns.csv").path))
        let figures = section.blocks.compactMap { if case .figure(let f) = $0 { f } else { nil } }
        #expect(figures.map(\.path) == ["features/family-auc.png"])
        #expect(pngSize(try Data(contentsOf: context.outputDirectory.appendingPathComponent("family-auc.png"))) != nil)
    }

    @Test func latentSettingsAreValidatedAndFingerprinted() throws {
        var step = FeaturesStep()
        let before = try JSONEncoder().encode(step.configuration)
        step.latentTastes.topicCount = 8
        #expect(try JSONEncoder().encode(step.configuration) != before)
        step.latentTastes.svdComponentCount = -2
        let data = featuresTestData(trainCount: 50, testCount: 10)
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("features-step-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let context = try makeStepContext(step: "features", reportDirectory: report, data: data)
        do {
            try step.run(in: context)
            Issue.record("ran with a negative SVD component count")
        } catch let error as FeaturesStepError {
            #expect(error.description.contains("svdComponentCount -2 must be ≥ 0"))
        }
    }

    @Test func clusterArtifactsOfOtherUsersAreRejected() throws {
        let data = featuresTestData(trainCount: 50, testCount: 10)
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("features-step-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let clusterDir = report.appendingPathComponent(".artifacts/clustering", isDirectory: true)
        try FileManager.default.createDirectory(at: clusterDir, withIntermediateDirectories: true)
        for (table, file) in [(data.train, ClusterArtifacts.trainFile), (data.test, ClusterArtifacts.testFile)] {
            let n = table.userCount
            var ids = table.ids
            ids[n - 1] = "someone-else"
            let features = ClusterArtifacts.features(assignments: [Int](repeating: 0, count: n),
                                                     distances: [Float](repeating: 1, count: n * 2), clusterCount: 2)
            try MatrixArtifact.write(features, rowIDs: ids, to: clusterDir.appendingPathComponent(file))
        }
        let context = try makeStepContext(step: "features", reportDirectory: report, data: data)
        do {
            try FeaturesStep().run(in: context)
            Issue.record("ran with cluster artifacts of other users")
        } catch let error as MatrixArtifact.ReadError {
            #expect(error.reason == "row 49 is someone-else but the data has train-50; rerun the clustering step")
        }
    }

    @Test func missingClusterArtifactsGiveAClearError() throws {
        let data = featuresTestData(trainCount: 50, testCount: 10)
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("features-step-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let context = try makeStepContext(step: "features", reportDirectory: report, data: data)
        do {
            try FeaturesStep().run(in: context)
            Issue.record("ran without cluster artifacts")
        } catch let error as MatrixArtifact.ReadError {
            #expect(error.path.hasSuffix("clustering/\(ClusterArtifacts.trainFile)"))
        }
    }
}
