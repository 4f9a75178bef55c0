import ChartRenderer
import Core
import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData
import Testing
@testable import AnalysisSteps

/// The size of a PNG file decoded through libgd (``DecodedPNG``), or nil when it does not decode.
func decodedPNGSize(_ url: URL) -> (width: Int, height: Int)? {
    guard let bytes = try? Data(contentsOf: url), let image = DecodedPNG(data: [UInt8](bytes)) else { return nil }
    return (image.width, image.height)
}

/// Users `range` of `table` (same vocabularies), renumbered `prefix-1`, `prefix-2`, ….
func slice(_ table: UserTable, _ range: Range<Int>, idPrefix: String) -> UserTable {
    func lists(_ source: WatchLists) -> WatchLists {
        var out = WatchLists()
        for u in range {
            let r = source.range(of: u)
            out.appendUser(items: Array(source.items[r]), seconds: Array(source.seconds[r]))
        }
        return out
    }
    return UserTable(ids: (0 ..< range.count).map { "\(idPrefix)-\($0 + 1)" }, segments: table.segments.map { Array($0[range]) },
                     titles: lists(table.titles), genres: lists(table.genres), cities: lists(table.cities),
                     hourSeconds: Array(table.hourSeconds[range.lowerBound * 24 ..< range.upperBound * 24]),
                     daySeconds: Array(table.daySeconds[range.lowerBound * 7 ..< range.upperBound * 7]))
}

/// The modelling half of the pipeline (clustering → features → models → importance → predict) on small data.
@Suite(.serialized) struct ModelsPipelineTests {
    static let trainCount = 1500
    static let testCount = 400

    /// Runs the modelling steps once into a fresh report folder.
    static func runModelling(labelledTest: Bool = false) throws -> (report: URL, data: WatchData) {
        var data = featuresTestData(trainCount: trainCount + (labelledTest ? testCount : 0), testCount: testCount, seed: 11)
        if labelledTest {
            // A labelled test file: the last users drawn like the training users keep their segments.
            let all = data.train
            data.train = slice(all, 0 ..< trainCount, idPrefix: "train")
            data.test = slice(all, trainCount ..< trainCount + testCount, idPrefix: "test")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("models-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let train = root.appendingPathComponent("train.json"), test = root.appendingPathComponent("test.json")
        try Data("{}".utf8).write(to: train)
        try Data("{}".utf8).write(to: test)
        let source = InMemoryDataSource(data: data, inputs: [DataInput(role: "train", url: train), DataInput(role: "test", url: test)])
        let report = root.appendingPathComponent("reports")
        let steps: [any AnalysisStep] = [ClusteringStep(), FeaturesStep(), ModelsStep(), ImportanceStep(), PredictStep()]
        let runner = PipelineRunner(steps: steps, options: StepOptions(out: report.path, seed: 7), dataSource: source)
        _ = try runner.run(RunRequest())
        return (report, data)
    }

    @Test func predictionsFileHasOneProbabilityPerTestUserInOrder() throws {
        let (report, data) = try Self.runModelling()
        defer { try? FileManager.default.removeItem(at: report.deletingLastPathComponent()) }
        let text = try String(contentsOf: report.appendingPathComponent("predictions.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "ID,segment")
        #expect(lines.count == data.test.userCount + 1)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.map { $0[0] } == data.test.ids)
        let probabilities = rows.compactMap { Double($0[1]) }
        #expect(probabilities.count == data.test.userCount)
        #expect(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Not a constant: the chosen model ranks users.
        #expect(Set(probabilities).count > 10)

        // Every step wrote its section, and every figure decodes.
        for step in ["models", "importance", "predict"] {
            let url = report.appendingPathComponent(step).appendingPathComponent("section.json")
            let section = try JSONDecoder().decode(SectionDocument.self, from: Data(contentsOf: url))
            #expect(section.step == step)
            let figures = section.blocks.compactMap { block -> SectionDocument.Figure? in
                if case .figure(let f) = block { return f } else { return nil }
            }
            #expect(!figures.isEmpty, "\(step) has no figure")
            for figure in figures {
                let size = decodedPNGSize(report.appendingPathComponent(figure.path))
                #expect(size != nil, "\(figure.path) does not decode")
                #expect((size?.width ?? 0) >= 400)
            }
        }

        // The comparison covers every candidate. The toy label depends on the genre only, so a model
        // that reads genres (not the prior, not the titles-only naive Bayes) must be chosen.
        let modelsDirectory = report.appendingPathComponent(".artifacts/models")
        let choice = try ModelArtifacts.readChoice(from: modelsDirectory)
        #expect(choice.results.map(\.model) == ModelCatalog.allIDs)
        #expect(![.prior, .naiveBayesTitles].contains(choice.best))
        #expect(choice.settings.includeRecordID == false)
        // The predictions are the chosen model's fold models averaged (no refit): they match the saved test scores.
        let components: [CandidateID] = choice.best == .stack ? choice.stack.baseModels : [choice.best]
        let saved = try ModelArtifacts.readTestScores(from: modelsDirectory, candidates: components)
        let expected = choice.best == .stack ? choice.stack.predict(saved) : saved[0]
        #expect(zip(probabilities, expected).allSatisfy { abs($0 - min(max($1, 0), 1)) < 1e-6 })
        #expect(choice.results.first { $0.model == .prior }.map { abs($0.meanAUC - 0.5) < 1e-9 } == true)
        // The toy data's label depends on the genre, so boosting on genres must beat chance clearly.
        #expect(choice.results.first { $0.model == .boostingGenreHourDay }!.meanAUC > 0.65)
        #expect(choice.results.allSatisfy { $0.folds.count == 5 })
    }

    @Test func labelledTestFileGetsATestAUC() throws {
        let (report, _) = try Self.runModelling(labelledTest: true)
        defer { try? FileManager.default.removeItem(at: report.deletingLastPathComponent()) }
        let section = try JSONDecoder().decode(
            SectionDocument.self, from: Data(contentsOf: report.appendingPathComponent("predict/section.json")))
        let testAUC = section.highlights.first { $0.label == "Test AUC" }.flatMap { Double($0.value) }
        #expect(testAUC != nil)
        #expect((testAUC ?? 0) > 0.65)
    }

    @Test func submissionCSVFormatsAndClamps() {
        let csv = String(decoding: PredictStep.submissionCSV(ids: ["test-2", "test-1"], probabilities: [0.25, 1.5]), as: UTF8.self)
        #expect(csv == "ID,segment\ntest-2,0.250000\ntest-1,1.000000\n")
    }

    @Test func stackFollowsAPerfectBaseModel() throws {
        var generator = SeededGenerator(seed: 3)
        let labels = (0 ..< 400).map { _ in UInt8(generator.nextUnitDouble() < 0.2 ? 1 : 0) }
        let perfect = labels.map { $0 == 1 ? 0.9 : 0.1 }
        let noise = labels.map { _ in generator.nextUnitDouble() }
        let stack = try StackModel.fit(baseModels: [.logisticTokens, .naiveBayesTitles], predictions: [noise, perfect], labels: labels)
        let scores = stack.predict([noise, perfect])
        #expect(rocAUC(scores: scores, labels: labels) == 1)
        #expect(stack.combiner.coefficients[1] > abs(stack.combiner.coefficients[0]))
    }

    @Test func recordIDIsALeakCheckOnly() {
        for model in ModelCatalog.allIDs {
            #expect(!model.denseFamilies(includeRecordID: false).contains(.identity), "\(model.rawValue) reads the record id")
        }
        #expect(CandidateID.boostingEngineered.denseFamilies(includeRecordID: true).contains(.identity))
        #expect(!CandidateID.boostingGenreHourDay.denseFamilies(includeRecordID: true).contains(.identity))
    }

    @Test func foldAverageIsTheMeanOfTheFoldScores() {
        let average = ModelsStep.foldAverage([[0.2, 0.4], [0.4, 0.8]])
        #expect(average.count == 2 && abs(average[0] - 0.3) < 1e-12 && abs(average[1] - 0.6) < 1e-12)
        #expect(ModelsStep.foldAverage([]) == [])
    }

    @Test func readableNamesForImportanceCharts() {
        #expect(readableFeatureName("genre_share:Cricket") == "share of watch time: Cricket")
        #expect(readableFeatureName("hour_share:02") == "share of watch time: 2–3 h")
        #expect(readableFeatureName("title_target_weighted_mean") == "pos rate of the titles watched (time-weighted)")
        #expect(readableFeatureName("night_share") == "share of watch time at night (0–6 h)")
    }
}

/// Candidates as a protocol: the catalog, the string ids and the extensible inputs.
@Suite struct CandidateCatalogTests {
    /// Toy inputs: `rowCount` train and 20 test rows; dense column `signal` (family totals) predicts the label.
    static func toyInputs(rowCount: Int = 400) -> ModelInputs {
        var generator = SeededGenerator(seed: 5)
        let labels = (0 ..< rowCount).map { _ in UInt8(generator.nextUnitDouble() < 0.3 ? 1 : 0) }
        func dense(_ rows: Int, _ value: (Int) -> Float) -> FeatureSet {
            FeatureSet(matrix: DenseMatrix(rowCount: rows, columnCount: 1, values: (0 ..< rows).map(value), columnNames: ["signal"]),
                       families: [.totals])
        }
        let empty = { (rows: Int) in SparseMatrix(rowCount: rows, columnCount: 1, rowOffsets: [Int](repeating: 0, count: rows + 1),
                                                  columnIndices: [], values: []) }
        return ModelInputs(labels: labels, denseTrain: dense(rowCount) { Float(labels[$0]) + Float($0 % 7) / 10 },
                           denseTest: dense(20) { Float($0 % 2) }, tokensTrain: empty(rowCount), tokensTest: empty(20),
                           titlesTrain: empty(rowCount), titlesTest: empty(20))
    }

    @Test func idsAreUniqueStringsAndTheStackComesLast() throws {
        let ids = ModelCatalog.allIDs
        #expect(Set(ids).count == ids.count)
        #expect(ids.last == .stack && ids.first == .prior)
        #expect(!ModelCatalog.baseModels.contains(.prior) && !ModelCatalog.baseModels.contains(.stack))
        #expect(ModelCatalog.baseModels.count == ModelCatalog.candidates.count - 1)
        // The id is a plain JSON string in choice.json, as when it was an enum.
        let json = try JSONEncoder().encode([CandidateID.boostingEngineered, .stack])
        #expect(String(decoding: json, as: UTF8.self) == #"["boosting-engineered","stack"]"#)
        #expect(try JSONDecoder().decode([CandidateID].self, from: json) == [.boostingEngineered, .stack])
        #expect(CandidateID.naiveBayesTitles.displayName == "Naive Bayes, titles")
        #expect(CandidateID(rawValue: "not-in-the-catalog").displayName == "not-in-the-catalog")
        #expect(throws: ModelsStepError.self) { try ModelCatalog.candidate("not-in-the-catalog") }
        #expect(try ModelCatalog.candidate(.boostingLatentTastes).isBoosting)
        #expect(!ModelCatalog.candidates.contains { $0.denseFamilies(includeRecordID: true).contains(.cluster) })
    }

    @Test func anAppendedDenseBlockIsReadByACandidateOfItsFamily() throws {
        let base = Self.toyInputs()
        let rows = base.labels.count
        let latent = { (n: Int, offset: Int) in
            FeatureSet(matrix: DenseMatrix(rowCount: n, columnCount: 2, values: (0 ..< 2 * n).map { Float(($0 + offset) % 5) },
                                           columnNames: ["taste:0", "taste:1"]), families: [.cluster, .cluster])
        }
        let inputs = try base.appending(DenseBlock(name: "latent", train: latent(rows, 0), test: latent(20, 1)))
        #expect(inputs.denseTrain.matrix.columnNames == ["signal", "taste:0", "taste:1"])
        #expect(inputs.denseBlocks.map(\.name) == ["latent"])
        let candidate = DenseLogisticCandidate(id: "logistic-latent", displayName: "Logistic, latent", inputDescription: "tastes",
                                               families: [.totals, .cluster], readsRecordID: false)
        let fit = try candidate.fit(inputs: inputs, settings: .standard(seed: 1), trainRows: Array(0 ..< 300),
                                    scoring: .train(Array(300 ..< rows)), scoreTest: true)
        #expect(fit.featureNames == ["signal", "taste:0", "taste:1"])
        #expect(fit.scores.count == rows - 300 && fit.testScores?.count == 20)
        #expect(rocAUC(scores: fit.scores, labels: Array(base.labels[300...])) > 0.95)
    }

    @Test func badBlocksAreRefusedWithTheirName() throws {
        let base = Self.toyInputs()
        let short = FeatureSet(matrix: DenseMatrix(rowCount: 3, columnCount: 1, values: [1, 2, 3], columnNames: ["x"]), families: [.cluster])
        do {
            _ = try base.appending(DenseBlock(name: "tastes", train: short, test: short))
            Issue.record("a block with 3 rows was accepted")
        } catch let error as ModelInputsError {
            #expect(error.description.contains("'tastes'") && error.description.contains("3 train"))
        }
        let clash = FeatureSet(matrix: DenseMatrix(rowCount: 20, columnCount: 1, values: [Float](repeating: 0, count: 20),
                                                   columnNames: ["signal"]), families: [.cluster])
        #expect(throws: ModelInputsError.self) { try DenseBlock(name: "mixed", train: clash, test: short) }
        let wide = try DenseBlock(name: "again", train: base.denseTrain, test: base.denseTest)
        #expect(throws: ModelInputsError.self) { try base.appending(wide) }
        #expect(throws: ModelInputsError.self) { try base.sparseBlock(named: "cities") }
        #expect(try base.sparseBlock(named: "titles").train.rowCount == base.labels.count)
    }
}

/// `test-scores.bin`: exact doubles, named columns, clear errors on damaged files.
@Suite struct TestScoresFileTests {
    @Test func roundTripIsExact() throws {
        let columns = ["stack": [0.1, 1.0 / 3, .leastNonzeroMagnitude], "prior": [0.076, 0.076, 0.076]]
        let data = try TestScoresFile.encode(columns)
        #expect(Array(data.prefix(8)) == Array("PTSSCORE".utf8))
        #expect(try TestScoresFile.decode(data, path: "x") == columns)
        #expect(try TestScoresFile.decode(TestScoresFile.encode([:]), path: "x").isEmpty)
    }

    @Test func damagedFilesNameThePathAndTheProblem() throws {
        let data = try TestScoresFile.encode(["stack": [0.5, 0.25]])
        for (bytes, problem) in [(data.dropLast(3), "do not hold"), (Data("{}".utf8), "bad magic")] {
            do {
                _ = try TestScoresFile.decode(Data(bytes), path: "/tmp/test-scores.bin")
                Issue.record("a damaged file was read")
            } catch let error as ModelsStepError {
                #expect(error.description.contains("/tmp/test-scores.bin") && error.description.contains(problem), "\(error)")
            }
        }
        #expect(throws: ModelsStepError.self) { try TestScoresFile.encode(["a": [1], "b": [1, 2]]) }
    }
}
